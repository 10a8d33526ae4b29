-- 2. A B2B order for a random partner and one of its customers (the seed's
-- application computes the commission itself; OneSIM's trigger overwrites it).
\set p random(1, 1000)
\set j random(1, 10)
\set v 100000000000 + :p
\set c 100000000000 + (:p - 1) * 10 + :j
INSERT INTO orders (user_id, package_code, package_name, price_usd, price_uzs, source_type, partner_id,
                    end_customer_id, end_customer_type, customer_first_name, customer_last_name,
                    customer_email, commission_applicable, commission_rate, commission_amount_usd,
                    commission_amount_uzs)
VALUES ('00000000-0000-0000-0000-:v', 'PKG-7', 'Package 7', 15.00, 187500, 'b2b_partner',
        '00000000-0000-0000-0001-:v', '00000000-0000-0000-0002-:c', 'b2b_partner_customer', 'Customer', 'Bench',
        'bench@bench.test', true, 5.00, 0.7500, 9375.00);
