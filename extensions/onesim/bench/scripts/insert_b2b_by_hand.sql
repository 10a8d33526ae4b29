-- 2c. The B2B order of insert_b2b.sql, with the writes the OneSIM issue asks
-- of it done by hand, without triggers (sql/by_hand.sql).
\set p random(1, 1000)
\set j random(1, 10)
\set v 100000000000 + :p
\set c 100000000000 + (:p - 1) * 10 + :j
SELECT bench.place_b2b_order_by_hand('00000000-0000-0000-0001-:v', '00000000-0000-0000-0000-:v',
                                     '00000000-0000-0000-0002-:c');
