-- 3. Hot partner: every client orders for partner 2, then holds the
-- transaction open for 5 ms (the application's work before COMMIT).
\set j random(1, 10)
\set c 100000000010 + :j
BEGIN;
INSERT INTO orders (user_id, package_code, package_name, price_usd, price_uzs, source_type, partner_id,
                    end_customer_id, end_customer_type, customer_first_name, customer_last_name,
                    customer_email, commission_applicable, commission_rate, commission_amount_usd,
                    commission_amount_uzs)
VALUES ('00000000-0000-0000-0000-100000000002', 'PKG-7', 'Package 7', 15.00, 187500, 'b2b_partner',
        '00000000-0000-0000-0001-100000000002', '00000000-0000-0000-0002-:c', 'b2b_partner_customer', 'Customer', 'Bench',
        'bench@bench.test', true, 5.00, 0.7500, 9375.00);
SELECT pg_sleep(0.005);
COMMIT;
