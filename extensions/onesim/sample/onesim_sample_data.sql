-- =============================================================================
-- onesim sample data (seed 002, "Sample Data for Testing")
--
-- Load as a superuser or the service role, after CREATE EXTENSION onesim.
-- Part 1 adds a small catalog so the seed's order refers to a real package;
-- part 2 is the seed's block, verbatim (the extension's triggers recompute
-- the order's commission and paid amounts and the partner's stats).
-- =============================================================================

-- -----------------------------------------------------------------------------
-- Part 1: catalog
-- -----------------------------------------------------------------------------

-- Our margin: 25 % over the eSIMAccess price for every package (global scope).
INSERT INTO margin_overrides (id, scope, margin_percent, note) VALUES
  ('a0e5b1c2-0000-4000-8000-000000000001', 'global', 25.00, 'Default retail margin');

-- USD -> UZS rate the UZS prices below come from (price_usd x rate, 2 dp).
INSERT INTO exchange_rates (id, base_currency, quote_currency, rate, effective_at, source) VALUES
  ('a0e5b1c2-0000-4000-8000-000000000002', 'USD', 'UZS', 12650.0000, '2026-02-16 00:00:00+05', 'cbu.uz');

-- Retail price = provider price * 1.25; trg_esim_packages_price computes
-- margin_percent, price_usd and price_uzs from the two rows above (the values
-- given here are exactly what it computes).
INSERT INTO esim_packages (
  id, package_code, slug, name, description, location_type, country_codes, region,
  data_gb, data_volume_bytes, duration, duration_unit, speed,
  provider_price_usd, margin_percent, price_usd, price_uzs,
  is_active, is_popular, sort_order, last_synced_at
) VALUES
  ('a0e5b1c2-0000-4000-8000-000000000101', 'PACKAGE_CODE_HERE', 'turkey-5gb-30days',
   'Turkey 5GB 30 days', '5 GB of 4G/5G data in Turkey, valid 30 days', 'country', '{TR}', NULL,
   5.00, 5368709120, 30, 'DAY', '4G/5G',
   15.2000, 25.00, 19.0000, 240350.00,
   TRUE, TRUE, 10, '2026-02-16 03:00:00+05'),
  ('a0e5b1c2-0000-4000-8000-000000000102', 'UZ_3GB_15D', 'uzbekistan-3gb-15days',
   'Uzbekistan 3GB 15 days', '3 GB of 4G data in Uzbekistan, valid 15 days', 'country', '{UZ}', NULL,
   3.00, 3221225472, 15, 'DAY', '4G',
   4.0000, 25.00, 5.0000, 63250.00,
   TRUE, FALSE, 20, '2026-02-16 03:00:00+05'),
  ('a0e5b1c2-0000-4000-8000-000000000103', 'AE_10GB_30D', 'uae-10gb-30days',
   'United Arab Emirates 10GB 30 days', '10 GB of 5G data in the UAE, valid 30 days', 'country', '{AE}', NULL,
   10.00, 10737418240, 30, 'DAY', '4G/5G',
   23.2000, 25.00, 29.0000, 366850.00,
   TRUE, TRUE, 30, '2026-02-16 03:00:00+05'),
  ('a0e5b1c2-0000-4000-8000-000000000104', 'EU_10GB_30D', 'europe-10gb-30days',
   'Europe 10GB 30 days', '10 GB across Europe, valid 30 days', 'regional',
   '{AT,BE,DE,ES,FR,GR,IT,NL,PT,TR}', 'Europe',
   10.00, 10737418240, 30, 'DAY', '4G',
   16.0000, 25.00, 20.0000, 253000.00,
   TRUE, FALSE, 40, '2026-02-16 03:00:00+05'),
  ('a0e5b1c2-0000-4000-8000-000000000105', 'GLOBAL_3GB_30D', 'global-3gb-30days',
   'Global 3GB 30 days', '3 GB in 100+ countries, valid 30 days', 'global',
   '{AE,DE,FR,GB,JP,TR,US,UZ}', NULL,
   3.00, 3221225472, 30, 'DAY', '4G',
   36.0000, 25.00, 45.0000, 569250.00,
   TRUE, FALSE, 50, '2026-02-16 03:00:00+05');

INSERT INTO package_operators (package_id, country_code, operator_name, network_type) VALUES
  ('a0e5b1c2-0000-4000-8000-000000000101', 'TR', 'Turkcell', '5G'),
  ('a0e5b1c2-0000-4000-8000-000000000101', 'TR', 'Vodafone TR', '4G'),
  ('a0e5b1c2-0000-4000-8000-000000000102', 'UZ', 'Ucell', '4G'),
  ('a0e5b1c2-0000-4000-8000-000000000103', 'AE', 'Etisalat', '5G'),
  ('a0e5b1c2-0000-4000-8000-000000000103', 'AE', 'du', '4G');

-- -----------------------------------------------------------------------------
-- Part 2: the seed's sample data, verbatim
-- -----------------------------------------------------------------------------

-- 1. Create a test partner
INSERT INTO auth.users (id, email) VALUES
  ('550e8400-e29b-41d4-a716-446655440001', 'grandtravel@example.com');

INSERT INTO profiles (id, first_name, last_name, phone, user_type) VALUES
  ('550e8400-e29b-41d4-a716-446655440001', 'Grand', 'Travel', '+998901234567', 'partner');

INSERT INTO partners (user_id, company_name, legal_name, business_email) VALUES
  ('550e8400-e29b-41d4-a716-446655440001', 'Grand Travel Tour', 'MCHJ "Grand Travel"', 'info@grandtravel.uz');

-- 2. Create partner customers
INSERT INTO partner_customers (partner_id, first_name, last_name, email, phone) VALUES
  ((SELECT id FROM partners WHERE company_name = 'Grand Travel Tour'), 'Aziza', 'Karimova', 'aziza@example.com', '+998901111111'),
  ((SELECT id FROM partners WHERE company_name = 'Grand Travel Tour'), 'Jahongir', 'Xasanov', 'jahongir@example.com', '+998902222222');

-- 3. Create a customer group
INSERT INTO customer_groups (partner_id, name, destination_country_code, destination_name) VALUES
  ((SELECT id FROM partners WHERE company_name = 'Grand Travel Tour'), 'Antalya Tour Group - Oct 2024', 'TR', 'Turkiya');

-- 4. Create a B2B order
INSERT INTO orders (
  user_id,
  source_type,
  partner_id,
  end_customer_id,
  end_customer_type,
  customer_first_name,
  customer_last_name,
  customer_email,
  transaction_id,
  package_code,
  price_usd,
  price_uzs,
  commission_applicable,
  commission_rate,
  commission_amount_usd,
  order_status
) VALUES (
  '550e8400-e29b-41d4-a716-446655440001', -- partner user_id
  'b2b_partner',
  (SELECT id FROM partners WHERE company_name = 'Grand Travel Tour'),
  (SELECT id FROM partner_customers WHERE email = 'aziza@example.com'),
  'b2b_partner_customer',
  'Aziza',
  'Karimova',
  'aziza@example.com',
  'TXN-B2B-001',
  'PACKAGE_CODE_HERE',
  19.00,
  240000,
  TRUE,
  5.00,
  0.95,
  'ALLOCATED'
);
