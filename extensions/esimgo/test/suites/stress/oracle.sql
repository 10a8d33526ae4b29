-- The oracle: every figure esimgo keeps, recomputed in plain SQL from the
-- rows underneath it and from what the clients logged as it committed. One
-- row per difference: (check, detail). Empty = no drift.
CREATE VIEW stress.reconcile AS
-- Orders: one per paid session, at the session's price, for its user.
SELECT 'an order belongs to exactly one completed session' AS check, o.id::text AS detail
  FROM esimgo.esim_orders o
 WHERE (SELECT count(*) FROM esimgo.checkout_sessions s
         WHERE s.order_id = o.id AND s.state = 'PAYMENT_COMPLETED' AND o.reference = 'order_' || s.id) <> 1
UNION ALL
SELECT 'a completed session names its order, paid and succeeded', s.id::text
  FROM esimgo.checkout_sessions s
 WHERE s.state = 'PAYMENT_COMPLETED'
   AND (s.order_id IS NULL OR s.payment_status IS DISTINCT FROM 'SUCCEEDED' OR s.payment_intent_id IS DISTINCT FROM 'pi_' || s.id
        OR NOT EXISTS (SELECT FROM esimgo.esim_orders o WHERE o.id = s.order_id))
UNION ALL
SELECT 'only completed sessions have an order', s.id::text
  FROM esimgo.checkout_sessions s WHERE s.order_id IS NOT NULL AND s.state <> 'PAYMENT_COMPLETED'
UNION ALL
SELECT 'the order is the session''s: price, snapshot, breakdown, user', o.id::text
  FROM esimgo.esim_orders o JOIN esimgo.checkout_sessions s ON s.order_id = o.id
 WHERE o.total_price <> (s.pricing ->> 'finalPrice')::numeric OR o.total_price <> (s.plan_snapshot ->> 'price')::numeric
    OR o.plan_data IS DISTINCT FROM s.plan_snapshot OR o.pricing_breakdown IS DISTINCT FROM s.pricing
    OR o.user_id IS DISTINCT FROM s.user_id OR o.quantity <> 1
UNION ALL
-- Prices: the engine's breakdown adds up; the fixed shop is priced again now.
SELECT 'the breakdown adds up: finalPrice - cost = sum of the applied rules, cost = the bundle''s price', s.id::text
  FROM esimgo.checkout_sessions s
 WHERE (s.pricing ->> 'finalPrice')::numeric - (s.pricing ->> 'cost')::numeric
       <> (SELECT coalesce(sum((r ->> 'impact')::numeric), 0) FROM jsonb_array_elements(s.pricing -> 'appliedRules') r)
    OR (s.pricing #>> '{selectedBundle,price}')::numeric <> (s.pricing ->> 'cost')::numeric
    OR s.plan_id <> s.pricing #>> '{selectedBundle,esim_go_name}' OR s.plan_snapshot ->> 'name' <> s.plan_id
    OR (s.pricing ->> 'finalPrice')::numeric < 0
UNION ALL
SELECT 'a checkout of the fixed shop is what the engine prices now', l.session_id::text
  FROM stress.sessions l JOIN esimgo.checkout_sessions s ON s.id = l.session_id
 WHERE l.country IN ('QA', 'QB')
   AND s.pricing IS DISTINCT FROM esimgo.calculate_price(l.days, l.country, payment_method => l.method)
UNION ALL
SELECT 'every checkout the API returned exists or went with its account', l.session_id::text
  FROM stress.sessions l
 WHERE NOT EXISTS (SELECT FROM esimgo.checkout_sessions s WHERE s.id = l.session_id)
   AND NOT EXISTS (SELECT FROM stress.accounts a WHERE a.who = l.who AND a.what = 'deleted')
UNION ALL
-- Session bookkeeping: the state everywhere it is written.
SELECT 'metadata.state and steps follow the state', s.id::text
  FROM esimgo.checkout_sessions s
 WHERE s.metadata ->> 'state' IS DISTINCT FROM s.state
    OR s.steps <> jsonb_build_object(
         'authentication', jsonb_build_object('completed', s.state NOT IN ('INITIALIZED', 'EXPIRED')),
         'delivery', jsonb_build_object('completed', s.state NOT IN ('INITIALIZED', 'AUTHENTICATED', 'EXPIRED')),
         'payment', jsonb_build_object('completed', s.state = 'PAYMENT_COMPLETED'))
    OR (s.state = 'PAYMENT_FAILED' AND s.payment_status IS DISTINCT FROM 'FAILED')
UNION ALL
SELECT 'a session past sign-in has a user (or lost it with a payment kept)', s.id::text
  FROM esimgo.checkout_sessions s
 WHERE s.user_id IS NULL AND s.state NOT IN ('INITIALIZED', 'EXPIRED')
   AND s.state NOT IN ('PAYMENT_PROCESSING', 'PAYMENT_COMPLETED', 'PAYMENT_FAILED') AND s.payment_intent_id IS NULL
UNION ALL
-- Webhooks: idempotent. Every answer for a session names its one order, and
-- exactly one answer created it.
SELECT 'every complete_checkout answer for a session names the session''s order', c.session_id::text
  FROM stress.completions c LEFT JOIN esimgo.checkout_sessions s ON s.id = c.session_id
 WHERE c.order_id IS DISTINCT FROM s.order_id
UNION ALL
SELECT 'exactly one webhook created each order (the others said alreadyCompleted)', s.id::text
  FROM esimgo.checkout_sessions s
 WHERE s.state = 'PAYMENT_COMPLETED'
   AND (SELECT count(*) FROM stress.completions c WHERE c.session_id = s.id AND NOT c.already) <> 1
UNION ALL
-- Fulfilment: an eSIM per fulfilled order, its user the order's, cancelled with a refund.
SELECT 'an order has an eSIM iff it was fulfilled (COMPLETED or REFUNDED)', o.id::text
  FROM esimgo.esim_orders o
 WHERE (SELECT count(*) FROM esimgo.esims e WHERE e.order_id = o.id) <> CASE WHEN o.status IN ('COMPLETED', 'REFUNDED') THEN 1 ELSE 0 END
UNION ALL
SELECT 'an eSIM belongs to its order''s user', e.id::text
  FROM esimgo.esims e JOIN esimgo.esim_orders o ON o.id = e.order_id WHERE e.user_id IS DISTINCT FROM o.user_id
UNION ALL
SELECT 'a refunded order''s eSIM and bundles are cancelled, and only those', e.id::text
  FROM esimgo.esims e JOIN esimgo.esim_orders o ON o.id = e.order_id
 WHERE (o.status = 'REFUNDED') <> (e.status = 'CANCELLED')
    OR EXISTS (SELECT FROM esimgo.esim_bundles b WHERE b.esim_id = e.id AND (b.state = 'CANCELLED') <> (o.status = 'REFUNDED'))
UNION ALL
-- Usage: used = the sum of the reports that committed, used + remaining = the allowance.
SELECT 'usage: used_data = sum of reports, remaining_data = allowance - used', b.id::text
  FROM esimgo.esim_bundles b JOIN stress.bundles a ON a.bundle_id = b.id
 WHERE b.used_data <> (SELECT coalesce(sum(u.bytes), 0) FROM stress.usage u WHERE u.bundle_id = b.id)
    OR b.remaining_data <> a.bytes - b.used_data OR b.remaining_data < 0
UNION ALL
SELECT 'every installed bundle was logged', b.id::text
  FROM esimgo.esim_bundles b WHERE NOT EXISTS (SELECT FROM stress.bundles a WHERE a.bundle_id = b.id)
UNION ALL
-- Catalog: catalog_metadata as of the last sync = the rows.
SELECT 'catalog_metadata.total_bundles = count(catalog_bundles)', m.total_bundles || ' vs ' || (SELECT count(*) FROM esimgo.catalog_bundles)
  FROM esimgo.catalog_metadata m WHERE m.total_bundles <> (SELECT count(*) FROM esimgo.catalog_bundles)
UNION ALL
SELECT 'catalog_metadata.bundle_groups = the groups of the rows', m.bundle_groups::text
  FROM esimgo.catalog_metadata m
 WHERE m.bundle_groups IS DISTINCT FROM
       (SELECT coalesce(array_agg(DISTINCT g ORDER BY g), '{}') FROM esimgo.catalog_bundles, unnest(groups) g)
UNION ALL
SELECT 'the catalog = sum of added - sum of removed over the committed syncs',
       (SELECT count(*) FROM esimgo.catalog_bundles) || ' vs ' || t.n
  FROM (SELECT sum((result ->> 'added')::int - (result ->> 'removed')::int) AS n FROM stress.syncs) t
 WHERE t.n <> (SELECT count(*) FROM esimgo.catalog_bundles)
UNION ALL
SELECT 'a sync''s counts add up: processed = added + updated + unchanged + skipped', s.seq::text
  FROM stress.syncs s
 WHERE (s.result ->> 'processed')::int <> (s.result ->> 'added')::int + (s.result ->> 'updated')::int
       + (s.result ->> 'unchanged')::int + (s.result ->> 'skipped')::int
UNION ALL
SELECT 'a job keeps the counts of its last sync', j.id::text
  FROM esimgo.catalog_sync_jobs j
  JOIN LATERAL (SELECT s.result FROM stress.syncs s WHERE s.job_id = j.id ORDER BY s.seq DESC LIMIT 1) l ON true
 WHERE j.bundles_processed <> (l.result ->> 'processed')::int OR j.bundles_added <> (l.result ->> 'added')::int
    OR j.bundles_updated <> (l.result ->> 'updated')::int OR j.metadata -> 'removed' IS DISTINCT FROM l.result -> 'removed'
UNION ALL
SELECT 'each catalog row has the price of the last sync that carried it', c.esim_go_name
  FROM esimgo.catalog_bundles c
 WHERE c.price IS DISTINCT FROM (SELECT r.price FROM stress.sync_rows r WHERE r.name = c.esim_go_name ORDER BY r.seq DESC LIMIT 1)
UNION ALL
-- Which rows exist: carried by a sync and not dropped since by a sync whose
-- scope covers the row and whose payload lacks it.
(WITH last AS (SELECT DISTINCT ON (name) name, seq, provider, groups, countries FROM stress.sync_rows ORDER BY name, seq DESC),
      expected AS (
        SELECT l.name FROM last l
         WHERE NOT EXISTS (
           SELECT FROM stress.syncs s
            WHERE s.seq > l.seq
              AND CASE s.job_type WHEN 'FULL_SYNC' THEN l.provider = ANY (s.providers)
                                  WHEN 'GROUP_SYNC' THEN s.bundle_group = ANY (l.groups)
                                  WHEN 'COUNTRY_SYNC' THEN s.country_id = ANY (l.countries) ELSE false END))
 SELECT 'the catalog holds exactly the rows the syncs left', coalesce(e.name, c.esim_go_name)
   FROM expected e FULL JOIN esimgo.catalog_bundles c ON c.esim_go_name = e.name
  WHERE e.name IS NULL OR c.esim_go_name IS NULL)
UNION ALL
SELECT 'a price change records the price the previous sync left', s.seq || ' ' || (x ->> 'esim_go_name')
  FROM stress.syncs s, jsonb_array_elements(s.result -> 'priceChanges') x
 WHERE (x ->> 'old')::numeric IS DISTINCT FROM
         (SELECT r.price FROM stress.sync_rows r WHERE r.name = x ->> 'esim_go_name' AND r.seq < s.seq ORDER BY r.seq DESC LIMIT 1)
    OR (x ->> 'new')::numeric IS DISTINCT FROM (SELECT r.price FROM stress.sync_rows r WHERE r.name = x ->> 'esim_go_name' AND r.seq = s.seq)
UNION ALL
-- Jobs: one active per key, timestamps that follow the status.
SELECT 'at most one pending or running job per (job_type, bundle_group, country_id)', job_type || ' ' || coalesce(bundle_group, country_id, '')
  FROM esimgo.catalog_sync_jobs WHERE status IN ('pending', 'running')
 GROUP BY job_type, coalesce(bundle_group, ''), coalesce(country_id, ''), bundle_group, country_id HAVING count(*) > 1
UNION ALL
SELECT 'a job''s timestamps follow its status', j.id::text
  FROM esimgo.catalog_sync_jobs j
 WHERE (j.status = 'pending' AND (j.started_at IS NOT NULL OR j.completed_at IS NOT NULL))
    OR (j.status = 'running' AND (j.started_at IS NULL OR j.completed_at IS NOT NULL))
    OR (j.status IN ('completed', 'failed') AND (j.started_at IS NULL OR j.completed_at IS NULL))
    OR (j.status = 'cancelled' AND j.completed_at IS NULL)
    OR (j.status = 'completed' AND NOT EXISTS (SELECT FROM stress.syncs s WHERE s.job_id = j.id))
UNION ALL
-- Accounts: a profile per user; what a deleted user leaves carries nothing of them.
SELECT 'every user has a profile', u.id::text
  FROM auth.users u WHERE NOT EXISTS (SELECT FROM esimgo.profiles p WHERE p.id = u.id)
UNION ALL
SELECT 'a session without user or token is one with a payment kept', s.id::text
  FROM esimgo.checkout_sessions s
 WHERE s.user_id IS NULL AND s.token_hash IS NULL AND s.payment_intent_id IS NULL
   AND s.state NOT IN ('PAYMENT_PROCESSING', 'PAYMENT_COMPLETED', 'PAYMENT_FAILED')
UNION ALL
SELECT 'a session with a token and no user is an anonymous one that never got further', s.id::text
  FROM esimgo.checkout_sessions s
 WHERE s.user_id IS NULL AND s.token_hash IS NOT NULL AND s.state NOT IN ('INITIALIZED', 'EXPIRED')
UNION ALL
SELECT 'an eSIM without its user keeps no customer reference or install code', e.id::text
  FROM esimgo.esims e
 WHERE e.user_id IS NULL AND (e.customer_ref IS NOT NULL OR e.qr_code_url IS NOT NULL OR e.activation_code IS NOT NULL
                               OR e.matching_id IS NOT NULL)
UNION ALL
SELECT 'a user now present still holds the rows of their logged checkouts', l.session_id::text
  FROM stress.sessions l JOIN esimgo.checkout_sessions s ON s.id = l.session_id
 WHERE l.who BETWEEN 1 AND 24 AND s.user_id IS DISTINCT FROM stress.uid(l.who)
UNION ALL
-- The clients: nothing but the refusals the races and the bad input call for.
SELECT 'no unexpected error class', r.workload || ' as ' || coalesce(r.who::text, 'admin API') || ': ' || r.sqlstate || ' ' || r.message
       || ' [' || left(regexp_replace(r.stmt, '\s+', ' ', 'g'), 160) || ']'
  FROM stress.refusals r WHERE NOT r.bad_input AND NOT r.expected
UNION ALL
SELECT 'bad input is refused with its SQLSTATE', r.workload || ' as ' || coalesce(r.who::text, '-') || ': got ' || r.sqlstate || ' ' || r.message
       || ' [' || left(regexp_replace(r.stmt, '\s+', ' ', 'g'), 160) || ']'
  FROM stress.refusals r WHERE r.bad_input AND NOT r.expected;


-- The checks the view reports under (the run prints each, ok or not).
CREATE TABLE stress.checks (name text PRIMARY KEY);
INSERT INTO stress.checks VALUES
  ('an order belongs to exactly one completed session'),
  ('a completed session names its order, paid and succeeded'),
  ('only completed sessions have an order'),
  ('the order is the session''s: price, snapshot, breakdown, user'),
  ('the breakdown adds up: finalPrice - cost = sum of the applied rules, cost = the bundle''s price'),
  ('a checkout of the fixed shop is what the engine prices now'),
  ('every checkout the API returned exists or went with its account'),
  ('metadata.state and steps follow the state'),
  ('a session past sign-in has a user (or lost it with a payment kept)'),
  ('every complete_checkout answer for a session names the session''s order'),
  ('exactly one webhook created each order (the others said alreadyCompleted)'),
  ('an order has an eSIM iff it was fulfilled (COMPLETED or REFUNDED)'),
  ('an eSIM belongs to its order''s user'),
  ('a refunded order''s eSIM and bundles are cancelled, and only those'),
  ('usage: used_data = sum of reports, remaining_data = allowance - used'),
  ('every installed bundle was logged'),
  ('catalog_metadata.total_bundles = count(catalog_bundles)'),
  ('catalog_metadata.bundle_groups = the groups of the rows'),
  ('the catalog = sum of added - sum of removed over the committed syncs'),
  ('a sync''s counts add up: processed = added + updated + unchanged + skipped'),
  ('a job keeps the counts of its last sync'),
  ('each catalog row has the price of the last sync that carried it'),
  ('the catalog holds exactly the rows the syncs left'),
  ('a price change records the price the previous sync left'),
  ('at most one pending or running job per (job_type, bundle_group, country_id)'),
  ('a job''s timestamps follow its status'),
  ('every user has a profile'),
  ('a session without user or token is one with a payment kept'),
  ('a session with a token and no user is an anonymous one that never got further'),
  ('an eSIM without its user keeps no customer reference or install code'),
  ('a user now present still holds the rows of their logged checkouts'),
  ('no unexpected error class'),
  ('bad input is refused with its SQLSTATE');
