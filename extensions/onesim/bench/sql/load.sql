-- The same data for both designs (psql variable norders). Loaded as the
-- superuser through each design's own triggers, in set-based statements, so
-- each design's maintained figures are its own.
--   1,000 partners (10 customers and 2 groups each, 5 members in the first
--   group); partner 1 also has 20,000 customers and an empty "bulk" group;
--   5,000 B2C users; one admin.
--   orders 1..norders: even n = B2B (partner (n/2 % 1000)+1, one of its
--   customers, a third of them in its group), odd n = B2C. Inserted PENDING,
--   then n % 4 in (1, 2) become ALLOCATED (half the B2B orders earn).
\set ON_ERROR_STOP on
INSERT INTO auth.users (id, email, aud, role, created_at)
SELECT bench.uid(0, p), 'partner' || p || '@bench.test', 'authenticated', 'authenticated', now()
FROM generate_series(1, 1000) p
UNION ALL
SELECT bench.uid(3, u), 'user' || u || '@bench.test', 'authenticated', 'authenticated', now()
FROM generate_series(1, 5000) u
UNION ALL
SELECT bench.uid(9, 1), 'admin@bench.test', 'authenticated', 'authenticated', now();

-- One statement per user_type: a bare literal suits both designs' column
-- (an enum in OneSIM, VARCHAR in the seed's).
INSERT INTO profiles (id, first_name, last_name, email, user_type)
SELECT bench.uid(0, p), 'Partner', 'No' || p, 'partner' || p || '@bench.test', 'partner'
FROM generate_series(1, 1000) p;
INSERT INTO profiles (id, first_name, last_name, email, user_type)
SELECT bench.uid(3, u), 'User', 'No' || u, 'user' || u || '@bench.test', 'customer'
FROM generate_series(1, 5000) u;
INSERT INTO profiles (id, first_name, last_name, email, user_type)
SELECT bench.uid(9, 1), 'Admin', 'One', 'admin@bench.test', 'admin';

INSERT INTO partners (id, user_id, company_name, business_email)
SELECT bench.uid(1, p), bench.uid(0, p), 'Partner ' || p, 'partner' || p || '@bench.test'
FROM generate_series(1, 1000) p;

INSERT INTO partner_customers (id, partner_id, first_name, last_name, email)
SELECT bench.uid(2, (p - 1) * 10 + j), bench.uid(1, p), 'Customer', 'No' || ((p - 1) * 10 + j),
       'c' || ((p - 1) * 10 + j) || '@bench.test'
FROM generate_series(1, 1000) p, generate_series(1, 10) j;
INSERT INTO partner_customers (id, partner_id, first_name, last_name, email)
SELECT bench.uid(2, 10000 + i), bench.uid(1, 1), 'Traveller', 'No' || i, 'bulk' || i || '@bench.test'
FROM generate_series(1, 20000) i;
-- Their ids, for the bulk statement to read as an app would pass them (a
-- list of ids), with no expression of the benchmark's own per row.
CREATE TABLE bench.bulk_customers AS SELECT bench.uid(2, 10000 + i) AS id FROM generate_series(1, 20000) i;
GRANT SELECT ON bench.bulk_customers TO PUBLIC;

INSERT INTO customer_groups (id, partner_id, name)
SELECT bench.uid(5, (p - 1) * 2 + k), bench.uid(1, p), 'Group ' || k || ' of partner ' || p
FROM generate_series(1, 1000) p, generate_series(1, 2) k;
INSERT INTO customer_groups (id, partner_id, name) VALUES (bench.uid(5, 2001), bench.uid(1, 1), 'Bulk group');

INSERT INTO customer_group_members (group_id, customer_id)
SELECT bench.uid(5, (p - 1) * 2 + 1), bench.uid(2, (p - 1) * 10 + j)
FROM generate_series(1, 1000) p, generate_series(1, 5) j;

-- source_type and end_customer_type: enums in OneSIM, VARCHAR in the seed's
-- design; each CASE below is cast to the column's type.
SELECT (SELECT atttypid::regtype FROM pg_attribute
         WHERE attrelid = 'orders'::regclass AND attname = 'source_type') AS source_type_type,
       (SELECT atttypid::regtype FROM pg_attribute
         WHERE attrelid = 'orders'::regclass AND attname = 'end_customer_type') AS end_customer_type_type \gset
INSERT INTO orders (id, user_id, transaction_id, package_code, package_name, price_usd, price_uzs,
                    source_type, partner_id, end_customer_id, end_customer_type,
                    customer_first_name, customer_last_name, customer_email, customer_group_id,
                    commission_applicable, commission_rate, commission_amount_usd, commission_amount_uzs,
                    created_at)
SELECT bench.uid(4, n),
       CASE WHEN b2b THEN bench.uid(0, p) ELSE bench.uid(3, u) END,
       'TXN-' || n, 'PKG-' || (n % 50), 'Package ' || (n % 50),
       price, price * 12500,
       (CASE WHEN b2b THEN 'b2b_partner' ELSE 'b2c' END)::text:::source_type_type,
       CASE WHEN b2b THEN bench.uid(1, p) END,
       CASE WHEN b2b THEN bench.uid(2, c) ELSE bench.uid(3, u) END,
       (CASE WHEN b2b THEN 'b2b_partner_customer' ELSE 'b2c' END)::text:::end_customer_type_type,
       'Customer', 'No' || c, 'c' || c || '@bench.test',
       CASE WHEN b2b AND k % 3 = 0 THEN bench.uid(5, (p - 1) * 2 + 1) END,
       b2b, CASE WHEN b2b THEN 5.00 END,
       CASE WHEN b2b THEN round(price * 0.05, 4) END,
       CASE WHEN b2b THEN round(price * 12500 * 0.05, 2) END,
       now() - (:norders - n) * interval '10 seconds'
FROM (SELECT n, n % 2 = 0 AS b2b, n / 2 AS k,
             (n / 2) % 1000 + 1 AS p,
             ((n / 2) % 1000) * 10 + ((n / 2000) % 10) + 1 AS c,
             (n / 2) % 5000 + 1 AS u,
             (5 + n % 20)::numeric(10,4) AS price
      FROM generate_series(1, :norders) n) s;

UPDATE orders o SET order_status = 'ALLOCATED'
FROM generate_series(1, :norders) n
WHERE n % 4 IN (1, 2) AND o.id = bench.uid(4, n);

VACUUM ANALYZE;
