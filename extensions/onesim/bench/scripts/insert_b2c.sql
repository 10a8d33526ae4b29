-- 2. A B2C order of a random shop user.
\set u random(1, 5000)
\set v 100000000000 + :u
INSERT INTO orders (user_id, package_code, package_name, price_usd, price_uzs, source_type,
                    end_customer_id, end_customer_type)
VALUES ('00000000-0000-0000-0003-:v', 'PKG-7', 'Package 7', 15.00, 187500, 'b2c', '00000000-0000-0000-0003-:v', 'b2c');
