-- 2. A B2B order for a random partner and one of its customers (the seed's
-- application computes the commission itself; OneSIM's trigger overwrites it).
\set p random(1, 1000)
\set j random(1, 10)
INSERT INTO orders (user_id, package_code, package_name, price_usd, price_uzs, source_type, partner_id,
                    end_customer_id, end_customer_type, customer_first_name, customer_last_name,
                    customer_email, commission_applicable, commission_rate, commission_amount_usd,
                    commission_amount_uzs)
VALUES (bench.uid(0, :p), 'PKG-7', 'Package 7', 15.00, 187500, 'b2b_partner', bench.uid(1, :p),
        bench.uid(2, (:p - 1) * 10 + :j), 'b2b_partner_customer', 'Customer', 'Bench',
        'bench@bench.test', true, 5.00, 0.7500, 9375.00);
