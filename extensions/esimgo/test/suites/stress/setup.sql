-- The stress world and the workflows the clients run.
--
-- 24 customers (5e..01 to 5e..24), 8 customers who delete their account and
-- sign up again (25 to 32), an admin (99). The shop catalog (countries QA and
-- QB, MAYA and ESIM_GO bundles) is loaded by a FULL_SYNC at setup and every
-- later FULL_SYNC carries it unchanged, so a checkout there can be priced
-- again by the engine afterwards; the synced part (groups Sync A / Sync B,
-- countries YA / YB) changes with every sync. Everything the clients do goes
-- through esimgo's API or the tables as the role that owns that write
-- (customer, anon, admin, service role, GoTrue's admin for accounts), via
-- stress.try (a refusal the race allows is logged and the run goes on; any
-- other error class is logged as unexpected) and stress.refuse (bad input:
-- must fail with the given SQLSTATE). Every effect the oracle needs to
-- recompute from is logged in the same transaction as the effect.
SET client_min_messages = warning;
CREATE SCHEMA stress;
GRANT USAGE ON SCHEMA stress TO anon, authenticated, service_role;

CREATE TABLE stress.refusals (
  id bigserial PRIMARY KEY, workload text NOT NULL, who int, sqlstate text NOT NULL, message text NOT NULL,
  stmt text NOT NULL, bad_input boolean NOT NULL, expected boolean NOT NULL);
CREATE TABLE stress.sessions (      -- checkouts opened: the request the engine priced
  session_id uuid PRIMARY KEY, who int NOT NULL, country text NOT NULL, days int NOT NULL, method text NOT NULL,
  token text NOT NULL, attached boolean NOT NULL DEFAULT false);
CREATE TABLE stress.completions (   -- every answer complete_checkout gave
  id bigserial PRIMARY KEY, session_id uuid NOT NULL, order_id uuid, already boolean NOT NULL);
CREATE TABLE stress.failures (session_id uuid NOT NULL);  -- fail_checkout_payment that went through
CREATE TABLE stress.bundles (       -- installed bundles and their allowance
  bundle_id uuid PRIMARY KEY, bytes bigint NOT NULL);
CREATE TABLE stress.usage (bundle_id uuid NOT NULL, bytes bigint NOT NULL);
CREATE TABLE stress.syncs (         -- every sync_catalog that committed, in the order they ran
  seq bigserial PRIMARY KEY, job_id uuid NOT NULL, job_type text NOT NULL, bundle_group text, country_id text,
  providers text[] NOT NULL, result jsonb NOT NULL);
CREATE TABLE stress.sync_rows (seq bigint NOT NULL, name text NOT NULL, price numeric NOT NULL,
  provider text NOT NULL, groups text[] NOT NULL, countries text[] NOT NULL);
CREATE TABLE stress.accounts (id bigserial PRIMARY KEY, who int NOT NULL, what text NOT NULL);
GRANT ALL ON ALL TABLES IN SCHEMA stress TO anon, authenticated, service_role;
GRANT ALL ON ALL SEQUENCES IN SCHEMA stress TO anon, authenticated, service_role;

CREATE FUNCTION stress.uid(n int) RETURNS uuid LANGUAGE sql IMMUTABLE AS
  $$ SELECT ('5e000000-0000-4000-8000-' || lpad(n::text, 12, '0'))::uuid $$;

-- who: NULL = the session user (GoTrue's admin, setup), -1 = service_role,
-- 0 = anon, n = the customer (or admin) n, signed in.
CREATE FUNCTION stress.become(who int) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('request.jwt.claims', CASE WHEN who IS NULL THEN '' WHEN who < 0 THEN '{"role":"service_role"}'
    WHEN who = 0 THEN '{"role":"anon"}' ELSE json_build_object('sub', stress.uid(who), 'role', 'authenticated')::text END, true);
  PERFORM set_config('role', CASE WHEN who IS NULL THEN 'none' WHEN who < 0 THEN 'service_role'
    WHEN who = 0 THEN 'anon' ELSE 'authenticated' END, true);
END $$;

-- Runs stmt (a query giving one json value) as who: {"ok": value} or, refused,
-- {"refused": sqlstate}, logged (expected when the SQLSTATE is in allowed).
CREATE FUNCTION stress.try(who int, workload text, stmt text, allowed text[] DEFAULT '{}') RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE r jsonb; st text; msg text;
BEGIN
  PERFORM stress.become(who);
  BEGIN
    EXECUTE stmt INTO r;
  EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
  END;
  PERFORM stress.become(NULL);
  IF st IS NULL THEN RETURN jsonb_build_object('ok', r); END IF;
  INSERT INTO stress.refusals (workload, who, sqlstate, message, stmt, bad_input, expected)
    VALUES (workload, who, st, msg, stmt, false, st = ANY (allowed));
  RETURN jsonb_build_object('refused', st);
END $$;

-- Bad input: stmt must fail with SQLSTATE expect (its effects never stay).
CREATE FUNCTION stress.refuse(who int, workload text, stmt text, expect text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE st text; msg text;
BEGIN
  PERFORM stress.become(who);
  BEGIN
    EXECUTE stmt;
    RAISE EXCEPTION 'bad input was accepted' USING ERRCODE = 'SX001';
  EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
  END;
  PERFORM stress.become(NULL);
  INSERT INTO stress.refusals (workload, who, sqlstate, message, stmt, bad_input, expected)
    VALUES (workload, who, CASE WHEN st = 'SX001' THEN 'accepted' ELSE st END, msg, stmt, true, st = expect);
END $$;

-- ---------------------------------------------------------------- the catalog
-- The shop part: fixed. The synced part: 12 ESIM_GO unlimited bundles
-- sync-<group>-<country>-<days>, each in three of four payloads, its price
-- moving with the payload's variant; a row without a price is skipped.
CREATE FUNCTION stress.shop_rows() RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_agg(r) FROM (VALUES
    ('{"name":"shop-qa-1","groups":["Shop-Unlimited"],"countries":[{"iso":"QA","region":"Shop Region"}],"dataAmount":-1,"duration":1,"price":1.50}'::jsonb),
    ('{"name":"shop-qa-3","groups":["Shop Unlimited"],"countries":["QA"],"region":"Shop Region","dataAmount":-1,"duration":3,"price":3.00}'),
    ('{"name":"shop-qa-7","groups":["Shop Unlimited"],"countries":["QA"],"region":"Shop Region","dataAmount":-1,"duration":7,"price":5.55}'),
    ('{"name":"shop-qa-14","groups":["Shop Unlimited"],"countries":["QA"],"region":"Shop Region","dataAmount":-1,"duration":14,"price":9.10}'),
    ('{"name":"shop-qa-30","groups":["Shop Unlimited"],"countries":["QA"],"region":"Shop Region","dataAmount":-1,"duration":30,"price":15.00}'),
    ('{"name":"shop-qa-maya-7","provider":"MAYA","countries":["QA"],"region":"Shop Region","validity_days":8,"price":4.00}'),
    ('{"name":"shop-qa-maya-30","provider":"MAYA","countries":["QA"],"region":"Shop Region","validity_days":31,"price":13.37}'),
    ('{"name":"shop-qb-1","groups":["Shop Unlimited"],"countries":["QB"],"region":"Shop Region","dataAmount":-1,"duration":1,"price":2.25}'),
    ('{"name":"shop-qb-5","groups":["Shop Unlimited"],"countries":["QB"],"region":"Shop Region","dataAmount":-1,"duration":5,"price":4.75}'),
    ('{"name":"shop-qb-10","groups":["Shop Unlimited"],"countries":["QB"],"region":"Shop Region","dataAmount":-1,"duration":10,"price":7.99}'),
    ('{"name":"shop-qb-30","groups":["Shop Unlimited"],"countries":["QB","QA"],"region":"Shop Region","dataAmount":-1,"duration":30,"price":16.40}'),
    ('{"name":"shop-qb-fixed-7","groups":["Shop Fixed"],"countries":["QB"],"region":"Shop Region","dataAmount":1536.5,"duration":7,"price":1.00}'),
    ('{"name":"shop-noprice","countries":["QA"],"duration":7}')) v(r)
$$;

CREATE FUNCTION stress.sync_universe() RETURNS TABLE (name text, grp text, country text, days int) LANGUAGE sql IMMUTABLE AS $$
  SELECT 'sync-' || lower(g) || '-' || lower(c) || '-' || d, 'Sync ' || g, c, d
  FROM unnest(ARRAY['A', 'B']) g, unnest(ARRAY['YA', 'YB']) c, unnest(ARRAY[5, 10, 20]) d
$$;

-- The payload a provider sends for a job's scope (variant 1..4).
CREATE FUNCTION stress.payload(job_type text, grp text, country text, variant int) RETURNS jsonb LANGUAGE sql AS $$
  SELECT coalesce(jsonb_agg(r), '[]') FROM (
    SELECT r FROM jsonb_array_elements(stress.shop_rows()) r WHERE job_type = 'FULL_SYNC'
    UNION ALL
    SELECT jsonb_build_object('name', u.name,
             'groups', jsonb_build_array(CASE WHEN variant % 2 = 0 THEN replace(u.grp, ' ', '-') ELSE u.grp END),
             'countries', jsonb_build_array(u.country), 'region', 'Sync Region', 'dataAmount', -1, 'duration', u.days,
             'price', 2 + u.days * 0.10 + variant * 0.25 + (length(u.name) % 3) * 0.01)
      FROM stress.sync_universe() u
     WHERE job_type <> 'METADATA_SYNC'
       AND (job_type = 'FULL_SYNC' OR u.grp = grp OR u.country = country)
       AND (hashtext(u.name) & 3) <> variant % 4
    UNION ALL
    SELECT '{"name":"sync-noprice","countries":["YA"],"duration":5}' WHERE job_type <> 'METADATA_SYNC') s
$$;

-- A worker's run of sync_catalog on a running job, logged as it committed.
CREATE FUNCTION stress.run_sync(who int, job uuid, variant int) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE j record; p jsonb; r jsonb; s bigint;
BEGIN
  SELECT job_type, bundle_group, country_id INTO j FROM esimgo.catalog_sync_jobs WHERE id = job;
  p := stress.payload(j.job_type, j.bundle_group, j.country_id, variant);
  r := stress.try(who, 'sync', format('SELECT esimgo.sync_catalog(%L, %L)', job, p), '{55000}');
  IF r ? 'ok' THEN
    INSERT INTO stress.syncs (job_id, job_type, bundle_group, country_id, providers, result)
      SELECT job, j.job_type, j.bundle_group, j.country_id,
             ARRAY(SELECT DISTINCT coalesce(x ->> 'provider', 'ESIM_GO') FROM jsonb_array_elements(p) x WHERE x ? 'price'),
             r -> 'ok'
      RETURNING seq INTO s;
    INSERT INTO stress.sync_rows
      SELECT s, x ->> 'name', (x ->> 'price')::numeric, coalesce(x ->> 'provider', 'ESIM_GO'),
             CASE WHEN x ->> 'provider' = 'MAYA' THEN '{}'
                  ELSE ARRAY(SELECT btrim(regexp_replace(g, '[- ]+', ' ', 'g')) FROM jsonb_array_elements_text(x -> 'groups') g) END,
             ARRAY(SELECT CASE jsonb_typeof(c) WHEN 'object' THEN c ->> 'iso' ELSE c #>> '{}' END
                     FROM jsonb_array_elements(x -> 'countries') c)
        FROM jsonb_array_elements(p) x WHERE x ? 'price';
  END IF;
  RETURN r;
END $$;

-- ---------------------------------------------------------------- the world
INSERT INTO auth.users (id, email, raw_app_meta_data)
  SELECT stress.uid(i), 'stress' || i || '@esimgo.example', CASE WHEN i = 99 THEN '{"role":"ADMIN"}' ELSE '{}' END::jsonb
    FROM generate_series(1, 32) i UNION ALL SELECT stress.uid(99), 'stress-admin@esimgo.example', '{"role":"ADMIN"}';
INSERT INTO esimgo.data_plans (id, name, countries, region, duration, price)
  VALUES ('5e000000-0000-4000-9000-000000000001', 'Shop plan', '["QA","QB"]', 'Shop Region', 30, 10.00),
         ('5e000000-0000-4000-9000-000000000002', 'Sync plan', '["YA"]', 'Sync Region', 20, 5.00);
DO $$
DECLARE job uuid;
BEGIN
  PERFORM stress.become(-1);
  job := esimgo.create_sync_job('FULL_SYNC');
  PERFORM esimgo.next_sync_job();
  PERFORM stress.become(NULL);
  IF NOT (stress.run_sync(-1, job, 1) ? 'ok') THEN RAISE EXCEPTION 'the initial sync failed'; END IF;
  PERFORM stress.become(-1);
  PERFORM esimgo.set_sync_job_status(job, 'completed');
  PERFORM stress.become(NULL);
END $$;

-- ---------------------------------------------------------------- workflows
-- A customer opens a checkout (QA, QB: the fixed shop; YA: the synced part,
-- which may have no bundle for the days) and takes it some steps; or, go = 0,
-- resumes one of theirs (a retry after a failed payment).
CREATE FUNCTION stress.buy(who int, days int, place int, pm int, go int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  country text := CASE WHEN place <= 4 THEN 'QA' WHEN place <= 8 THEN 'QB' ELSE 'YA' END;
  method text := (ARRAY['ISRAELI_CARD', 'AMEX', 'BIT', 'DINERS', 'FOREIGN_CARD'])[pm];
  gone text[] := CASE WHEN who > 24 THEN '{23503}' ELSE '{}' END;  -- an account being deleted
  r jsonb; sid uuid;
BEGIN
  IF go = 0 THEN
    SELECT id INTO sid FROM esimgo.checkout_sessions
     WHERE user_id = stress.uid(who) AND state IN ('AUTHENTICATED', 'DELIVERY_SET', 'PAYMENT_FAILED')
     ORDER BY state = 'PAYMENT_FAILED' DESC, created_at DESC LIMIT 1;
    IF sid IS NOT NULL THEN
      PERFORM stress.try(who, 'resume', format('SELECT esimgo.advance_checkout_session(%L, ''PAYMENT_READY'')', sid),
                         '{23514,P0002}');  -- the same customer on two devices; the account deleted
    END IF;
    RETURN;
  END IF;
  IF country = 'YA' THEN days := 1 + days % 20; END IF;
  r := stress.try(who, 'checkout', format('SELECT esimgo.create_checkout_session(%s, %L, payment_method => %L)', days, country, method),
                  CASE WHEN country = 'YA' THEN gone || '{P0002}'::text[] ELSE gone END);
  IF NOT r ? 'ok' THEN RETURN; END IF;
  sid := (r #>> '{ok,sessionId}')::uuid;
  INSERT INTO stress.sessions VALUES (sid, who, country, days, method, r #>> '{ok,sessionToken}', false);
  IF go IN (2, 3) THEN
    PERFORM stress.try(who, 'checkout', format('SELECT esimgo.advance_checkout_session(%L, ''DELIVERY_SET'')', sid));
  END IF;
  IF go IN (3, 4) THEN  -- 4: steps skipped forward
    PERFORM stress.try(who, 'checkout', format('SELECT esimgo.advance_checkout_session(%L, ''PAYMENT_READY'')', sid));
  END IF;
END $$;

-- An anonymous buyer: a checkout reachable only with its token; going on
-- needs a signed-in user (who, attached then), or they abandon it.
CREATE FUNCTION stress.anon_buy(days int, signer int, abandon boolean) RETURNS void LANGUAGE plpgsql AS $$
DECLARE r jsonb; sid uuid; tok text;
BEGIN
  r := stress.try(0, 'anon', format('SELECT esimgo.create_checkout_session(%s, ''QA'')', days));
  IF NOT r ? 'ok' THEN RETURN; END IF;
  sid := (r #>> '{ok,sessionId}')::uuid;
  tok := r #>> '{ok,sessionToken}';
  INSERT INTO stress.sessions VALUES (sid, 0, 'QA', days, 'ISRAELI_CARD', tok, false);
  PERFORM stress.refuse(0, 'anon', format('SELECT esimgo.advance_checkout_session(%L, ''DELIVERY_SET'', %L)', sid, tok), '42501');
  PERFORM stress.refuse(0, 'anon', format('SELECT esimgo.advance_checkout_session(%L, ''EXPIRED'')', sid), 'P0002');
  IF abandon THEN
    PERFORM stress.try(0, 'anon', format('SELECT esimgo.advance_checkout_session(%L, ''EXPIRED'', %L)', sid, tok));
  ELSIF signer > 0 THEN
    r := stress.try(signer, 'anon', format('SELECT esimgo.advance_checkout_session(%L, ''PAYMENT_READY'', %L)', sid, tok),
                    CASE WHEN signer > 24 THEN '{23503}' ELSE '{}' END::text[]);
    IF r ? 'ok' THEN UPDATE stress.sessions SET who = signer, attached = true WHERE session_id = sid; END IF;
  END IF;
END $$;

-- The payment provider's webhooks, as the service role, replayed, out of
-- order and duplicated: 1 processing, 2-4 succeeded, 5 failed, 6 succeeded
-- twice in a row; on one of the oldest sessions waiting for their payment
-- (pick 0-3: the clients race for them), on a failed one (4-5) or on a paid
-- one (6-8).
CREATE FUNCTION stress.webhook(pick int, event int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE sid uuid; r jsonb; n int := CASE WHEN event = 6 THEN 2 ELSE 1 END;
BEGIN
  IF pick < 4 THEN
    SELECT id INTO sid FROM esimgo.checkout_sessions WHERE state IN ('PAYMENT_READY', 'PAYMENT_PROCESSING')
     ORDER BY created_at OFFSET pick LIMIT 1;
  ELSIF pick < 6 THEN
    SELECT id INTO sid FROM esimgo.checkout_sessions WHERE state = 'PAYMENT_FAILED' ORDER BY random() LIMIT 1;
  ELSE
    SELECT id INTO sid FROM esimgo.checkout_sessions WHERE state = 'PAYMENT_COMPLETED' ORDER BY random() LIMIT 1;
  END IF;
  IF sid IS NULL THEN RETURN; END IF;
  IF event = 1 THEN
    PERFORM stress.try(-1, 'webhook', format('SELECT esimgo.advance_checkout_session(%L, ''PAYMENT_PROCESSING'')', sid), '{23514,P0002}');
  ELSIF event = 5 THEN
    r := stress.try(-1, 'webhook', format('SELECT esimgo.fail_checkout_payment(%L)', sid), '{23514,P0002}');
    IF r ? 'ok' THEN INSERT INTO stress.failures VALUES (sid); END IF;
  ELSE
    FOR i IN 1 .. n LOOP
      -- 55000: the payment failed or the session lost its user first
      r := stress.try(-1, 'webhook', format('SELECT esimgo.complete_checkout(%L, %L)', sid, 'pi_' || sid), '{55000,P0002}');
      IF r ? 'ok' THEN
        INSERT INTO stress.completions (session_id, order_id, already)
          VALUES (sid, (r #>> '{ok,orderId}')::uuid, (r #>> '{ok,alreadyCompleted}')::boolean);
      END IF;
    END LOOP;
  END IF;
END $$;

-- Fulfilment (service role): a new order gets its eSIM and an installed
-- bundle (or fails); an admin refunds a completed order (eSIM and bundle
-- cancelled). Both take their locks in the order account deletion takes
-- them (the user, the eSIMs, then the order), as a service must.
CREATE FUNCTION stress.svc_fulfil(oid uuid, ok boolean, bytes bigint) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE u uuid; e uuid; b uuid;
BEGIN
  UPDATE esimgo.esim_orders SET status = CASE WHEN ok THEN 'COMPLETED' ELSE 'FAILED' END
   WHERE id = oid AND status = 'PROCESSING' RETURNING user_id INTO u;
  IF NOT FOUND OR NOT ok THEN RETURN NULL; END IF;
  INSERT INTO esimgo.esims (user_id, order_id, iccid, customer_ref, qr_code_url, activation_code, smdp_address, matching_id,
                            status, assigned_date, last_action, action_date)
    VALUES (u, oid, '8999' || translate(oid::text, '-', ''), CASE WHEN u IS NOT NULL THEN 'cust-' || u END,
            CASE WHEN u IS NOT NULL THEN 'https://qr.example/' || oid END, CASE WHEN u IS NOT NULL THEN 'LPA:1$smdp.example$' || oid END,
            'smdp.example', CASE WHEN u IS NOT NULL THEN 'M' || left(oid::text, 8) END, 'ASSIGNED', now(), 'ASSIGNED', now())
    RETURNING id INTO e;
  INSERT INTO esimgo.esim_bundles (esim_id, data_plan_id, name, state, used_data, remaining_data, start_date)
    VALUES (e, '5e000000-0000-4000-9000-000000000001', 'Shop plan', 'ACTIVE', 0, bytes, now()) RETURNING id INTO b;
  INSERT INTO stress.bundles VALUES (b, bytes);
  RETURN to_jsonb(b);
END $$;

CREATE FUNCTION stress.adm_refund(oid uuid) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM esimgo.esims WHERE order_id = oid FOR UPDATE;
  UPDATE esimgo.esim_orders SET status = 'REFUNDED' WHERE id = oid AND status = 'COMPLETED';
  IF NOT FOUND THEN RETURN NULL; END IF;
  UPDATE esimgo.esim_bundles SET state = 'CANCELLED' WHERE esim_id IN (SELECT id FROM esimgo.esims WHERE order_id = oid);
  UPDATE esimgo.esims SET status = 'CANCELLED', last_action = 'CANCELLED', action_date = now() WHERE order_id = oid;
  RETURN to_jsonb(oid);
END $$;

CREATE FUNCTION stress.fulfil(what int, bytes int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE oid uuid;
BEGIN
  IF what <= 5 THEN
    SELECT id INTO oid FROM esimgo.esim_orders WHERE status = 'PROCESSING' ORDER BY created_at LIMIT 1;
    IF oid IS NOT NULL THEN
      PERFORM 1 FROM auth.users WHERE id = (SELECT user_id FROM esimgo.esim_orders WHERE id = oid) FOR KEY SHARE;
      PERFORM stress.try(-1, 'fulfil', format('SELECT stress.svc_fulfil(%L, %L, %s)', oid, what <> 5, bytes));
    END IF;
  ELSE
    SELECT id INTO oid FROM esimgo.esim_orders WHERE status = 'COMPLETED' ORDER BY random() LIMIT 1;
    IF oid IS NOT NULL THEN
      PERFORM stress.try(99, 'refund', format('SELECT stress.adm_refund(%L)', oid));
    END IF;
  END IF;
END $$;

-- Usage reports (service role) on a few hot bundles; a report over what is
-- left is refused by the CHECK (23514); eSIMs installed, suspended, restored.
CREATE FUNCTION stress.use(pick int, bytes int, what int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE b uuid; e record;
BEGIN
  IF what <= 5 THEN
    SELECT id INTO b FROM esimgo.esim_bundles WHERE state = 'ACTIVE' ORDER BY created_at DESC OFFSET pick LIMIT 1;
    IF b IS NULL THEN RETURN; END IF;
    PERFORM stress.try(-1, 'usage', format(
      'WITH u AS (UPDATE esimgo.esim_bundles SET used_data = used_data + %2$s, remaining_data = remaining_data - %2$s
                   WHERE id = %1$L AND state = ''ACTIVE'' RETURNING id)
       INSERT INTO stress.usage SELECT id, %2$s FROM u RETURNING 1', b, bytes), '{23514}');
  ELSE
    SELECT id, status INTO e FROM esimgo.esims WHERE status IN ('ASSIGNED', 'ACTIVE', 'SUSPENDED') ORDER BY random() LIMIT 1;
    IF e.id IS NULL THEN RETURN; END IF;
    PERFORM stress.try(-1, 'esim', format(
      'WITH u AS (UPDATE esimgo.esims SET status = %L, last_action = %L, action_date = now() WHERE id = %L AND status = %L RETURNING 1)
       SELECT count(*) FROM u',
      CASE e.status WHEN 'ACTIVE' THEN 'SUSPENDED' ELSE 'ACTIVE' END,
      CASE e.status WHEN 'ASSIGNED' THEN 'INSTALLED' WHEN 'ACTIVE' THEN 'SUSPENDED' ELSE 'RESTORED' END, e.id, e.status));
  END IF;
END $$;

-- Catalog sync (the service role or the admin): 1 trigger a job (one active
-- per key: 55000, or 23505 for two at once), 2-3 a worker takes the next job
-- (or helps with a running one), syncs a payload and finishes it, 4 the
-- stuck-job and checkout cleanups.
CREATE FUNCTION stress.sync(who int, what int, scope int, variant int, prio int, force boolean) RETURNS void LANGUAGE plpgsql AS $$
DECLARE r jsonb; job uuid;
BEGIN
  IF what = 1 THEN
    PERFORM stress.try(who, 'sync', format('SELECT to_jsonb(esimgo.create_sync_job(%L, %L, %L, %L, %L))',
      (ARRAY['FULL_SYNC', 'GROUP_SYNC', 'GROUP_SYNC', 'COUNTRY_SYNC', 'COUNTRY_SYNC', 'METADATA_SYNC'])[scope],
      (ARRAY[NULL, 'Sync A', 'Sync B', NULL, NULL, NULL])[scope], (ARRAY[NULL, NULL, NULL, 'YA', 'YB', NULL])[scope],
      (ARRAY['high', 'normal', 'low'])[prio], force), '{55000,23505}');
  ELSIF what IN (2, 3) THEN
    r := stress.try(who, 'sync', 'SELECT to_jsonb(esimgo.next_sync_job())');
    job := r #>> '{ok}';
    IF job IS NULL THEN
      SELECT id INTO job FROM esimgo.catalog_sync_jobs WHERE status = 'running' ORDER BY random() LIMIT 1;
      IF job IS NULL THEN RETURN; END IF;
    END IF;
    IF variant = 0 THEN  -- a provider payload with an alpha-3 code: refused, the job fails
      PERFORM stress.refuse(who, 'sync', format('SELECT esimgo.sync_catalog(%L, %L)', job,
        '[{"name":"sync-bad","countries":["YAA"],"duration":5,"price":1}]'), '22023');
      PERFORM stress.try(who, 'sync', format('SELECT to_jsonb(esimgo.set_sync_job_status(%L, ''failed'', ''bad payload''))', job), '{23514}');
      RETURN;
    END IF;
    r := stress.run_sync(who, job, variant);
    IF r ? 'ok' AND prio <= 2 THEN   -- else it keeps running: another worker may sync it again
      PERFORM stress.try(who, 'sync', format('SELECT to_jsonb(esimgo.set_sync_job_status(%L, ''completed''))', job), '{23514}');
    END IF;
  ELSE
    PERFORM stress.try(-1, 'cleanup', 'SELECT esimgo.fail_stuck_sync_jobs()');
    PERFORM stress.try(-1, 'cleanup', 'SELECT esimgo.cleanup_expired_checkout_sessions()');
  END IF;
END $$;

-- Accounts 25..32: deleted (GoTrue's admin API deletes the auth.users row)
-- and signed up again with the same id.
CREATE FUNCTION stress.account(who int, what int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE r jsonb;
BEGIN
  IF what = 1 THEN
    r := stress.try(NULL, 'account', format('WITH d AS (DELETE FROM auth.users WHERE id = %L RETURNING 1) SELECT count(*) FROM d', stress.uid(who)));
    IF (r ->> 'ok')::int = 1 THEN INSERT INTO stress.accounts (who, what) VALUES (who, 'deleted'); END IF;
  ELSE
    r := stress.try(NULL, 'account', format(
      'WITH i AS (INSERT INTO auth.users (id, email) SELECT %L, %L WHERE NOT EXISTS (SELECT FROM auth.users WHERE id = %1$L) RETURNING 1)
       SELECT count(*) FROM i', stress.uid(who), 'stress' || who || '@esimgo.example'), '{23505}');
    IF (r ->> 'ok')::int = 1 THEN INSERT INTO stress.accounts (who, what) VALUES (who, 'signed up'); END IF;
  END IF;
END $$;

-- Bad input from every kind of caller: each must be refused with its SQLSTATE.
CREATE FUNCTION stress.bad(k int, who int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE mine uuid; other uuid; done uuid; job uuid; oid uuid; cancelled uuid;
BEGIN
  SELECT id INTO mine FROM esimgo.checkout_sessions WHERE user_id = stress.uid(who) ORDER BY created_at DESC LIMIT 1;
  SELECT id INTO other FROM esimgo.checkout_sessions WHERE user_id <> stress.uid(who) ORDER BY created_at DESC LIMIT 1;
  SELECT id INTO done FROM esimgo.checkout_sessions WHERE state = 'PAYMENT_COMPLETED' AND user_id = stress.uid(who) LIMIT 1;
  CASE k
    WHEN 1 THEN PERFORM stress.refuse(who, 'bad', 'SELECT esimgo.create_checkout_session(0, ''QA'')', '22023');
    WHEN 2 THEN PERFORM stress.refuse(who, 'bad', 'SELECT esimgo.create_checkout_session(366, ''QB'')', '22023');
    WHEN 3 THEN PERFORM stress.refuse(who, 'bad', 'SELECT esimgo.create_checkout_session(7, ''QA'', payment_method => ''PAYPAL'')', '22023');
    WHEN 4 THEN PERFORM stress.refuse(who, 'bad', 'SELECT esimgo.create_checkout_session(7)', '22023');
    WHEN 5 THEN PERFORM stress.refuse(who, 'bad', 'SELECT esimgo.create_checkout_session(45, ''QA'')', 'P0002');
    WHEN 6 THEN PERFORM stress.refuse(0, 'bad', 'SELECT esimgo.create_checkout_session(7, ''ZZ'')', 'P0002');
    WHEN 7 THEN IF mine IS NOT NULL THEN
      PERFORM stress.refuse(who, 'bad', format('SELECT esimgo.advance_checkout_session(%L, ''PAYMENT_COMPLETED'')', mine), '42501'); END IF;
    WHEN 8 THEN IF mine IS NOT NULL THEN
      PERFORM stress.refuse(who, 'bad', format('SELECT esimgo.advance_checkout_session(%L, ''SHIPPED'')', mine), '22023'); END IF;
    WHEN 9 THEN IF other IS NOT NULL THEN
      PERFORM stress.refuse(who, 'bad', format('SELECT esimgo.advance_checkout_session(%L, ''EXPIRED'')', other), 'P0002'); END IF;
    WHEN 10 THEN IF done IS NOT NULL THEN
      PERFORM stress.refuse(who, 'bad', format('SELECT esimgo.advance_checkout_session(%L, ''EXPIRED'')', done), '23514'); END IF;
    WHEN 11 THEN IF mine IS NOT NULL THEN
      PERFORM stress.refuse(who, 'bad', format('SELECT esimgo.complete_checkout(%L, ''pi_forged'')', mine), '42501'); END IF;
    WHEN 12 THEN PERFORM stress.refuse(who, 'bad', 'UPDATE esimgo.esim_bundles SET used_data = 0', '42501');
    WHEN 13 THEN PERFORM stress.refuse(who, 'bad', 'UPDATE esimgo.checkout_sessions SET pricing = ''{"finalPrice": 0}''', '42501');
    WHEN 14 THEN PERFORM stress.refuse(who, 'bad', 'SELECT esimgo.create_sync_job(''FULL_SYNC'')', '42501');
    WHEN 15 THEN PERFORM stress.refuse(-1, 'bad', 'SELECT esimgo.create_sync_job(''NIGHTLY_SYNC'')', '22023');
    WHEN 16 THEN PERFORM stress.refuse(99, 'bad', 'SELECT esimgo.create_sync_job(''GROUP_SYNC'')', '22023');
    WHEN 17 THEN
      SELECT id INTO job FROM esimgo.catalog_sync_jobs WHERE status IN ('completed', 'failed', 'cancelled') ORDER BY random() LIMIT 1;
      IF job IS NOT NULL THEN
        PERFORM stress.refuse(-1, 'bad', format('SELECT esimgo.set_sync_job_status(%L, ''running'')', job), '23514');
        PERFORM stress.refuse(-1, 'bad', format('SELECT esimgo.sync_catalog(%L, ''[]'')', job), '55000');
        PERFORM stress.refuse(-1, 'bad', format('SELECT esimgo.set_sync_job_status(%L, ''paused'')', job), '22023');
      END IF;
    WHEN 18 THEN
      SELECT id INTO oid FROM esimgo.esim_orders WHERE status = 'PROCESSING' ORDER BY random() LIMIT 1 FOR UPDATE SKIP LOCKED;
      IF oid IS NOT NULL THEN
        PERFORM stress.refuse(-1, 'bad', format('UPDATE esimgo.esim_orders SET status = ''REFUNDED'' WHERE id = %L AND status = ''PROCESSING''', oid), '23514');
      END IF;
      SELECT id INTO oid FROM esimgo.esim_orders WHERE status = 'COMPLETED' AND user_id IS NOT NULL AND user_id <> stress.uid(who) ORDER BY random() LIMIT 1;
      IF oid IS NOT NULL THEN
        PERFORM stress.refuse(-1, 'bad', format('INSERT INTO esimgo.esims (user_id, order_id, iccid) VALUES (%L, %L, %L)',
                                                 stress.uid(who), oid, 'forged-' || oid), '23514');
      END IF;
    WHEN 19 THEN
      SELECT esim_id INTO cancelled FROM esimgo.esim_bundles WHERE state = 'CANCELLED' ORDER BY random() LIMIT 1;
      IF cancelled IS NOT NULL THEN
        PERFORM stress.refuse(-1, 'bad', format('UPDATE esimgo.esim_bundles SET state = ''ACTIVE'' WHERE esim_id = %L', cancelled), '23514');
        PERFORM stress.refuse(-1, 'bad', format('UPDATE esimgo.esims SET status = ''ACTIVE'' WHERE id = %L', cancelled), '23514');
      END IF;
    ELSE PERFORM stress.refuse(-1, 'bad', 'SELECT esimgo.complete_checkout(NULL, ''pi_x'')', '22004');
  END CASE;
END $$;
