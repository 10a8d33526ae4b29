-- Data for test/backup-restore.sh, loaded after the seed's sample data:
-- partners (one with a custom rate), customers, groups with members, a few
-- hundred B2C and B2B orders through their whole lifecycle (allocated,
-- failed, cancelled, refunded after payout), a payout, a rate change after
-- orders were placed, a hand-set retail price and a margin that came later.
-- Every maintained figure and every stored price depends on history here, so
-- a restore that recomputes anything shows up as a difference.
\set ON_ERROR_STOP 1

INSERT INTO auth.users (id, email, created_at)
SELECT ('0b000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid,
       format('bk-user-%s@example.com', i), '2026-01-01'::timestamptz + i * interval '1 hour'
  FROM generate_series(1, 40) i;

-- The type of profiles.user_type: character varying before 1.2, an enum since
-- (the upgrade suite loads this file into every released version).
SELECT atttypid::regtype AS user_type_type FROM pg_attribute
 WHERE attrelid = 'profiles'::regclass AND attname = 'user_type' \gset
INSERT INTO profiles (id, first_name, last_name, phone, user_type)
SELECT ('0b000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid, 'User', 'No' || i,
       '+99890' || lpad(i::text, 7, '0'),
       (CASE WHEN i <= 3 THEN 'partner' WHEN i = 4 THEN 'admin' ELSE 'customer' END)::text:::user_type_type
  FROM generate_series(1, 40) i;

INSERT INTO partners (id, user_id, company_name, business_email, custom_commission_rate, address)
SELECT ('0b000000-0000-4000-8000-0000000001' || lpad(i::text, 2, '0'))::uuid,
       ('0b000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid,
       'Backup Partner ' || i, format('p%s@backup.uz', i),
       CASE WHEN i = 3 THEN 7.50 END,
       jsonb_build_object('city', 'Tashkent', 'street', 'Street ' || i)
  FROM generate_series(1, 3) i;

-- 20 customers per partner, the first 5 with their own auth account
INSERT INTO partner_customers (id, partner_id, user_id, first_name, last_name, email, phone, tags)
SELECT ('0b000000-0000-4000-8000-0000000' || lpad((p * 100 + c)::text, 5, '0'))::uuid,
       ('0b000000-0000-4000-8000-0000000001' || lpad(p::text, 2, '0'))::uuid,
       CASE WHEN c <= 5 THEN ('0b000000-0000-4000-8000-' || lpad((4 + (p - 1) * 5 + c)::text, 12, '0'))::uuid END,
       'First' || c, 'Last' || p, format('c%s-%s@example.com', p, c), '+99891' || lpad((p * 100 + c)::text, 7, '0'),
       jsonb_build_array('vip', 'tour-' || p)
  FROM generate_series(1, 3) p, generate_series(1, 20) c;

-- 2 groups per partner; customers 1-12 in group 1, 8-20 in group 2
INSERT INTO customer_groups (id, partner_id, name, destination_country_code, destination_name,
                             travel_start_date, travel_end_date)
SELECT ('0b000000-0000-4000-8000-0000000002' || p || g)::uuid,
       ('0b000000-0000-4000-8000-0000000001' || lpad(p::text, 2, '0'))::uuid,
       format('Group %s-%s', p, g), 'TR', 'Turkiya', date '2026-03-01' + g, date '2026-03-10' + g
  FROM generate_series(1, 3) p, generate_series(1, 2) g;

INSERT INTO customer_group_members (group_id, customer_id, added_by)
SELECT ('0b000000-0000-4000-8000-0000000002' || p || g)::uuid,
       ('0b000000-0000-4000-8000-0000000' || lpad((p * 100 + c)::text, 5, '0'))::uuid,
       ('0b000000-0000-4000-8000-' || lpad(p::text, 12, '0'))::uuid
  FROM generate_series(1, 3) p, generate_series(1, 2) g, generate_series(1, 20) c
 WHERE (g = 1 AND c <= 12) OR (g = 2 AND c >= 8);

-- The types of orders.delivery_method and package_views.source: character
-- varying before 1.2, enums since (the upgrade suite loads this file into
-- every released version).
SELECT atttypid::regtype AS delivery_method_type FROM pg_attribute
 WHERE attrelid = 'orders'::regclass AND attname = 'delivery_method' \gset
SELECT atttypid::regtype AS view_source_type FROM pg_attribute
 WHERE attrelid = 'package_views'::regclass AND attname = 'source' \gset

-- 240 B2B orders (80 per partner) and 120 B2C orders, all PENDING at first
INSERT INTO orders (id, user_id, source_type, partner_id, end_customer_id, end_customer_type,
                    customer_group_id, transaction_id, package_id, package_code, package_name,
                    price_usd, price_uzs, delivery_method, metadata)
SELECT ('0b000000-0000-4000-8000-00000001' || lpad(n::text, 4, '0'))::uuid,
       ('0b000000-0000-4000-8000-' || lpad(p::text, 12, '0'))::uuid,
       'b2b_partner',
       ('0b000000-0000-4000-8000-0000000001' || lpad(p::text, 2, '0'))::uuid,
       ('0b000000-0000-4000-8000-0000000' || lpad((p * 100 + 1 + n % 20)::text, 5, '0'))::uuid,
       'b2b_partner_customer',
       CASE WHEN n % 3 = 0 THEN ('0b000000-0000-4000-8000-0000000002' || p || '1')::uuid END,
       format('TXN-BK-B2B-%s', n), k.id, k.package_code, k.name, k.price_usd, k.price_uzs,
       ((ARRAY['email', 'sms', 'whatsapp', 'manual'])[1 + n % 4])::text:::delivery_method_type,
       jsonb_build_object('n', n)
  FROM generate_series(1, 240) n
  CROSS JOIN LATERAL (SELECT 1 + (n - 1) / 80 AS p) pp
  CROSS JOIN LATERAL (SELECT * FROM esim_packages ORDER BY package_code OFFSET n % 5 LIMIT 1) k;

INSERT INTO orders (id, user_id, source_type, end_customer_type, transaction_id, package_id,
                    package_code, price_usd, price_uzs, iccid, qr_code_url, activation_code)
SELECT ('0b000000-0000-4000-8000-00000002' || lpad(n::text, 4, '0'))::uuid,
       ('0b000000-0000-4000-8000-' || lpad((5 + n % 35)::text, 12, '0'))::uuid,
       'b2c', 'b2c', format('TXN-BK-B2C-%s', n), k.id, k.package_code, k.price_usd, k.price_uzs,
       '8990' || lpad(n::text, 15, '0'), 'https://qr.example/' || n, 'LPA:1$smdp.example$' || n
  FROM generate_series(1, 120) n
  CROSS JOIN LATERAL (SELECT * FROM esim_packages ORDER BY package_code OFFSET n % 5 LIMIT 1) k;

-- lifecycle: most allocated, some failed, some left pending or processing
UPDATE orders SET order_status = 'ALLOCATED'
 WHERE transaction_id LIKE 'TXN-BK-%' AND right(transaction_id, 1) NOT IN ('7', '8', '9');
UPDATE orders SET order_status = 'FAILED' WHERE transaction_id LIKE 'TXN-BK-%' AND right(transaction_id, 1) = '7';
UPDATE orders SET order_status = 'PROCESSING' WHERE transaction_id LIKE 'TXN-BK-%' AND right(transaction_id, 1) = '8';

-- payout of partner 1's earned earnings
INSERT INTO partner_payouts (id, partner_id, amount_usd, earnings_count, method, reference, status, paid_at)
SELECT '0b000000-0000-4000-8000-000000000301', partner_id, sum(commission_amount_usd), count(*),
       'bank_transfer', 'PAYOUT-BK-1', 'paid', '2026-02-01 12:00+05'
  FROM partner_earnings
 WHERE partner_id = '0b000000-0000-4000-8000-000000000101' AND status = 'earned'
 GROUP BY partner_id;
UPDATE partner_earnings
   SET status = 'paid', paid_out = true, paid_at = '2026-02-01 12:00+05',
       payout_id = '0b000000-0000-4000-8000-000000000301',
       payout_method = 'bank_transfer', payout_reference = 'PAYOUT-BK-1'
 WHERE partner_id = '0b000000-0000-4000-8000-000000000101' AND status = 'earned';

-- refunds after the payout (clawbacks) and cancellations before it
UPDATE orders SET order_status = 'REFUNDED' WHERE transaction_id IN ('TXN-BK-B2B-10', 'TXN-BK-B2B-20', 'TXN-BK-B2C-10');
UPDATE orders SET order_status = 'CANCELLED' WHERE transaction_id IN ('TXN-BK-B2B-100', 'TXN-BK-B2B-200', 'TXN-BK-B2C-20');

-- the partners' rates change after their orders (orders keep the old rate)
UPDATE partners SET custom_commission_rate = 10.00 WHERE company_name = 'Backup Partner 2';
UPDATE partners SET commission_rate = 4.00 WHERE company_name = 'Backup Partner 3';

-- catalog: a hand-set retail price, then a margin and a rate that came later
UPDATE esim_packages SET price_usd = 4.9900, price_uzs = 63000.00 WHERE package_code = 'UZ_3GB_15D';
INSERT INTO margin_overrides (scope, country_code, margin_percent, note) VALUES ('country', 'AE', 40.00, 'later');
INSERT INTO exchange_rates (base_currency, quote_currency, rate, effective_at, source)
VALUES ('USD', 'UZS', 12800.0000, '2026-02-20 00:00:00+05', 'cbu.uz');

-- the rest of the catalog tables
INSERT INTO package_views (package_id, user_id, source)
SELECT k.id, ('0b000000-0000-4000-8000-' || lpad((5 + n % 35)::text, 12, '0'))::uuid,
       ((ARRAY['shop', 'reseller', 'api'])[1 + n % 3])::text:::view_source_type
  FROM generate_series(1, 30) n CROSS JOIN LATERAL (SELECT id FROM esim_packages ORDER BY package_code OFFSET n % 5 LIMIT 1) k;
INSERT INTO user_favorites (user_id, package_id)
SELECT DISTINCT ('0b000000-0000-4000-8000-' || lpad((5 + n % 10)::text, 12, '0'))::uuid, k.id
  FROM generate_series(1, 20) n CROSS JOIN LATERAL (SELECT id FROM esim_packages ORDER BY package_code OFFSET n % 5 LIMIT 1) k;
INSERT INTO price_sync_log (status, packages_total, packages_updated, finished_at, started_at)
VALUES ('success', 5, 1, '2026-02-16 03:05+05', '2026-02-16 03:00+05');
INSERT INTO cached_regional_packages (package_id, package_code, region, name, data_gb, duration, price_usd, price_uzs, country_count, country_codes)
SELECT id, package_code, region, name, data_gb, duration, price_usd, price_uzs, cardinality(country_codes), country_codes
  FROM esim_packages WHERE location_type = 'regional';
INSERT INTO cached_global_packages (package_id, package_code, name, data_gb, duration, price_usd, price_uzs, country_count)
SELECT id, package_code, name, data_gb, duration, price_usd, price_uzs, cardinality(country_codes)
  FROM esim_packages WHERE location_type = 'global';
INSERT INTO package_cache_metadata (cache_key, last_refreshed_at, row_count, status)
VALUES ('regional', '2026-02-16 03:06+05', 1, 'fresh'), ('global', '2026-02-16 03:06+05', 1, 'fresh');
INSERT INTO order_action_logs (order_id, action, old_status, new_status, actor_role)
SELECT id, 'status_changed', 'PENDING', order_status, 'service_role' FROM orders WHERE transaction_id LIKE 'TXN-BK-B2C-%';
INSERT INTO partner_api_keys (partner_id, name, key_prefix, key_hash)
VALUES ('0b000000-0000-4000-8000-000000000101', 'ERP', 'osk_bk01', repeat('ab', 32));
