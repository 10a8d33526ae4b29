-- =============================================================================
-- The API (Supabase RPC): SECURITY INVOKER functions in the extension schema;
-- the privileged steps are SECURITY DEFINER C++ in esim_admin_internal.
-- =============================================================================
CREATE FUNCTION esim_admin_internal.purchase(uuid, @extschema@.payment_method, text, text) RETURNS @extschema@.transactions
AS 'MODULE_PATHNAME', 'esim_admin_purchase'
LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION esim_admin_internal.record_article_view(text) RETURNS integer
AS 'MODULE_PATHNAME', 'esim_admin_record_article_view'
LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION esim_admin_internal.notify_from_template(uuid, text, @extschema@.notification_type, jsonb) RETURNS uuid
AS 'MODULE_PATHNAME', 'esim_admin_notify_from_template'
LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION esim_admin_internal.generate_revenue_report(@extschema@.report_period_type, date) RETURNS @extschema@.revenue_reports
AS 'MODULE_PATHNAME', 'esim_admin_generate_revenue_report'
LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

CREATE FUNCTION esim_admin_internal.reveal_secrets(text, uuid) RETURNS jsonb
AS 'MODULE_PATHNAME', 'esim_admin_reveal_secrets'
LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION esim_admin_internal.reveal_secrets(text, uuid) IS
  'The plaintext secrets of a twilio_config or data_providers row, audited (secret_read); the service role only';

CREATE FUNCTION esim_admin_internal.customer_record(uuid, text) RETURNS jsonb
AS 'MODULE_PATHNAME', 'esim_admin_customer_record'
LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION esim_admin_internal.customer_record(uuid, text) IS
  'A customer''s personal record for staff, each read audited (pii_read, with the reason given)';
CREATE FUNCTION esim_admin_internal.kyc_document_url(uuid, text) RETURNS text
AS 'MODULE_PATHNAME', 'esim_admin_kyc_document_url'
LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION esim_admin_internal.kyc_document_url(uuid, text) IS
  'A KYC document''s URL for its owner (not logged) or staff (each read audited: pii_read)';
-- The caller's own profile, personal columns included: reading one's own
-- data is no access to someone else's, so it is not logged.
CREATE FUNCTION esim_admin_internal.own_profile() RETURNS TABLE (
  id uuid, email varchar(255), first_name varchar(100), last_name varchar(100), phone varchar(20),
  status @extschema@.user_status, role @extschema@.user_role, kyc_status @extschema@.kyc_status,
  created_at timestamptz, last_login timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  SELECT u.id, u.email, u.first_name, u.last_name, u.phone, u.status, u.role, u.kyc_status, u.created_at, u.last_login
    FROM @extschema@.users u WHERE u.id = auth.uid() AND u.deleted_at IS NULL
$$;
REVOKE EXECUTE ON FUNCTION esim_admin_internal.customer_record(uuid, text),
  esim_admin_internal.kyc_document_url(uuid, text), esim_admin_internal.own_profile() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION esim_admin_internal.customer_record(uuid, text),
  esim_admin_internal.kyc_document_url(uuid, text), esim_admin_internal.own_profile() TO authenticated, service_role;

-- A period's figures from the rows (UTC days): revenue = completed purchases
-- (completed_at in the period) less the refunds processed in it; cost = the
-- providers' allocations made in it; soft-deleted rows count nowhere.
CREATE FUNCTION esim_admin_internal.period_figures(first_day date, last_day date,
  OUT revenue numeric, OUT cost numeric, OUT transaction_count integer, OUT new_users integer, OUT active_esims integer)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $$
  WITH b AS (SELECT (first_day::timestamp AT TIME ZONE 'UTC') AS s, ((last_day + 1)::timestamp AT TIME ZONE 'UTC') AS e),
  sold AS (SELECT t.total_amount FROM @extschema@.transactions t, b
           WHERE t.status IN ('completed', 'refunded') AND t.deleted_at IS NULL AND t.completed_at >= b.s AND t.completed_at < b.e
           UNION ALL
           SELECT a.total_amount FROM @extschema@.transactions_archive a, b
           WHERE a.status IN ('completed', 'refunded') AND a.deleted_at IS NULL AND a.completed_at >= b.s AND a.completed_at < b.e),
  sales AS (SELECT coalesce(sum(total_amount), 0) AS amount, count(*)::int AS n FROM sold),
  refunded AS (SELECT r.amount FROM @extschema@.refunds r JOIN @extschema@.transactions t ON t.id = r.transaction_id, b
               WHERE r.status = 'processed' AND t.deleted_at IS NULL AND r.processed_at >= b.s AND r.processed_at < b.e
               UNION ALL
               SELECT r.amount FROM @extschema@.refunds_archive r JOIN @extschema@.transactions_archive t ON t.id = r.transaction_id, b
               WHERE r.status = 'processed' AND t.deleted_at IS NULL AND r.processed_at >= b.s AND r.processed_at < b.e),
  back AS (SELECT coalesce(sum(amount), 0) AS amount FROM refunded)
  SELECT sales.amount - back.amount,
         (SELECT coalesce(sum(a.cost), 0) FROM @extschema@.data_allocations a, b WHERE a.allocated_at >= b.s AND a.allocated_at < b.e),
         sales.n,
         (SELECT count(*)::int FROM @extschema@.users u, b WHERE u.deleted_at IS NULL AND u.created_at >= b.s AND u.created_at < b.e),
         (SELECT count(*)::int FROM @extschema@.esims x, b WHERE x.deleted_at IS NULL AND x.status <> 'cancelled'
            AND x.expires_at >= b.e AND x.activated_at < b.e)
         + (SELECT count(*)::int FROM @extschema@.esims x, b WHERE x.deleted_at IS NULL AND x.status <> 'cancelled'
            AND x.expires_at IS NULL AND x.activated_at < b.e)
  FROM sales, back
$$;

REVOKE EXECUTE ON FUNCTION esim_admin_internal.reveal_secrets(text, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION esim_admin_internal.reveal_secrets(text, uuid) TO service_role;
REVOKE EXECUTE ON FUNCTION esim_admin_internal.purchase(uuid, @extschema@.payment_method, text, text),
  esim_admin_internal.record_article_view(text),
  esim_admin_internal.notify_from_template(uuid, text, @extschema@.notification_type, jsonb),
  esim_admin_internal.generate_revenue_report(@extschema@.report_period_type, date),
  esim_admin_internal.period_figures(date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION esim_admin_internal.purchase(uuid, @extschema@.payment_method, text, text),
  esim_admin_internal.record_article_view(text) TO authenticated, service_role;
GRANT EXECUTE ON FUNCTION esim_admin_internal.record_article_view(text) TO anon;
GRANT EXECUTE ON FUNCTION esim_admin_internal.notify_from_template(uuid, text, @extschema@.notification_type, jsonb),
  esim_admin_internal.generate_revenue_report(@extschema@.report_period_type, date),
  esim_admin_internal.period_figures(date, date) TO authenticated, service_role;

-- The price of a plan in a region in force at an instant (the plan's default
-- price, region NULL, when the region has none of its own).
CREATE FUNCTION @extschema@.price_at(plan uuid, in_region text, at timestamptz DEFAULT now())
RETURNS SETOF @extschema@.plan_pricing
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $$
  SELECT p.* FROM @extschema@.plan_pricing p
  WHERE p.plan_id = plan AND p.deleted_at IS NULL AND p.effective_from <= at AND (p.effective_to IS NULL OR p.effective_to > at)
    AND (p.region = in_region OR p.region IS NULL)
  ORDER BY p.region IS NULL LIMIT 1
$$;

CREATE FUNCTION @extschema@.purchase(plan_id uuid, payment_method @extschema@.payment_method,
  promo_code text DEFAULT NULL, region text DEFAULT NULL)
RETURNS SETOF @extschema@.transactions
LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$ SELECT * FROM esim_admin_internal.purchase(plan_id, payment_method, promo_code, region) $$;
COMMENT ON FUNCTION @extschema@.purchase(uuid, @extschema@.payment_method, text, text) IS
  'A pending purchase by the calling user at the price in force, with the promotional code redeemed; the payment webhook (service role) completes it';

CREATE FUNCTION @extschema@.record_article_view(slug text) RETURNS integer
LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$ SELECT esim_admin_internal.record_article_view(slug) $$;

CREATE FUNCTION @extschema@.notify_from_template(user_id uuid, template_name text,
  type @extschema@.notification_type, variables jsonb DEFAULT '{}')
RETURNS uuid
LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$ SELECT CASE WHEN (SELECT esim_admin_internal.is_staff()) OR (SELECT esim_admin_internal.is_service())
             THEN esim_admin_internal.notify_from_template(user_id, template_name, type, variables)
             ELSE esim_admin_internal.not_authorized_uuid() END $$;

CREATE FUNCTION @extschema@.generate_revenue_report(period_type @extschema@.report_period_type, day date)
RETURNS SETOF @extschema@.revenue_reports
LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$ SELECT r.* FROM (SELECT esim_admin_internal.require_admin()) ok,
      LATERAL esim_admin_internal.generate_revenue_report(period_type, day) r $$;

-- The panel's home screen: today, this month (UTC), top plans of the month.
-- The sales are read from the daily figures the transactions' triggers keep
-- (at most 31 days x plans rows, however many purchases the month holds), the
-- refunds from the month's processed ones; as the tables' owner, the API
-- wrapper below lets admins and the service in.
CREATE FUNCTION esim_admin_internal.dashboard() RETURNS jsonb
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  WITH b AS (SELECT (now() AT TIME ZONE 'UTC')::date AS today,
                    date_trunc('month', now() AT TIME ZONE 'UTC')::date AS month),
  per_plan AS (
    SELECT d.plan_id, sum(d.revenue) AS revenue, sum(d.transactions) AS transactions,
           coalesce(sum(d.revenue) FILTER (WHERE d.day = b.today), 0) AS revenue_today,
           coalesce(sum(d.transactions) FILTER (WHERE d.day = b.today), 0) AS transactions_today
      FROM esim_admin_internal.daily_sales d, b
     WHERE d.day >= b.month AND d.transactions > 0
     GROUP BY d.plan_id)
  SELECT jsonb_build_object(
    'today', jsonb_build_object('revenue', coalesce(sum(p.revenue_today), 0), 'transactions', coalesce(sum(p.transactions_today), 0)),
    'month', jsonb_build_object('revenue', coalesce(sum(p.revenue), 0), 'transactions', coalesce(sum(p.transactions), 0)),
    'refunds_month', (SELECT coalesce(sum(r.amount), 0) FROM @extschema@.refunds r, b
                       WHERE r.status = 'processed' AND r.processed_at >= b.month::timestamp AT TIME ZONE 'UTC'),
    'top_plans', coalesce((SELECT jsonb_agg(x ORDER BY x.revenue DESC, x.plan_id) FROM (
        SELECT q.plan_id, q.revenue, q.transactions FROM per_plan q ORDER BY q.revenue DESC, q.plan_id LIMIT 5) x), '[]'))
  FROM per_plan p
$$;
REVOKE EXECUTE ON FUNCTION esim_admin_internal.dashboard() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION esim_admin_internal.dashboard() TO authenticated, service_role;

CREATE FUNCTION @extschema@.dashboard() RETURNS jsonb
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $$ SELECT esim_admin_internal.dashboard()
      WHERE (SELECT esim_admin_internal.is_admin()) OR (SELECT esim_admin_internal.is_service()) $$;
COMMENT ON FUNCTION @extschema@.dashboard() IS
  'The panel''s home screen for admins: today and this month (UTC) revenue and purchases, the month''s refunds, its top 5 plans; NULL for anyone else';


-- The plaintext of an integration's secrets, for the service role (the
-- webhooks and jobs that call Twilio or a provider); every read is audited.
CREATE FUNCTION @extschema@.reveal_twilio_config(config_id uuid)
RETURNS TABLE (auth_token text, api_secret text)
LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$ SELECT s ->> 'auth_token', s ->> 'api_secret' FROM esim_admin_internal.reveal_secrets('twilio_config', config_id) s $$;
CREATE FUNCTION @extschema@.reveal_provider_key(provider_id uuid) RETURNS text
LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$ SELECT esim_admin_internal.reveal_secrets('data_providers', provider_id) ->> 'api_key' $$;
REVOKE EXECUTE ON FUNCTION @extschema@.reveal_twilio_config(uuid), @extschema@.reveal_provider_key(uuid)
  FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION @extschema@.reveal_twilio_config(uuid), @extschema@.reveal_provider_key(uuid) TO service_role;

-- Personal data (users' email, names and phone, KYC document URLs) is
-- readable by no API role from the tables (column privileges); these are
-- the ways to it. Staff's reads of another user's data are audited
-- (pii_read: who, whose, which columns, when, the reason given); they are
-- VOLATILE, so PostgREST POSTs them (a read-only GET cannot write the log).

-- A customer's personal record (profile, KYC documents with their URLs,
-- latest purchases, open tickets) for staff.
CREATE FUNCTION @extschema@.customer_record(user_id uuid, reason text DEFAULT NULL) RETURNS jsonb
LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$ SELECT esim_admin_internal.customer_record(user_id, reason) $$;
COMMENT ON FUNCTION @extschema@.customer_record(uuid, text) IS
  'A customer''s personal record for support, admins and the service: profile, KYC documents, latest purchases, open tickets; every read audited (pii_read, with the reason)';

-- A KYC document's URL: its owner's (not logged) or staff's (audited).
CREATE FUNCTION @extschema@.kyc_document_url(document_id uuid, reason text DEFAULT NULL) RETURNS text
LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$ SELECT esim_admin_internal.kyc_document_url(document_id, reason) $$;
COMMENT ON FUNCTION @extschema@.kyc_document_url(uuid, text) IS
  'The URL of a KYC document, for its owner and for staff (support verifies documents); a read by anyone but the owner is audited (pii_read, with the reason)';

-- The calling user's own profile with its personal columns (not logged).
CREATE FUNCTION @extschema@.my_profile() RETURNS TABLE (
  id uuid, email varchar(255), first_name varchar(100), last_name varchar(100), phone varchar(20),
  status @extschema@.user_status, role @extschema@.user_role, kyc_status @extschema@.kyc_status,
  created_at timestamptz, last_login timestamptz)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $$ SELECT * FROM esim_admin_internal.own_profile() $$;
COMMENT ON FUNCTION @extschema@.my_profile() IS
  'The calling user''s own record, email, names and phone included (a read of one''s own data is not audited)';
REVOKE EXECUTE ON FUNCTION @extschema@.customer_record(uuid, text), @extschema@.kyc_document_url(uuid, text),
  @extschema@.my_profile() FROM PUBLIC, anon;
GRANT EXECUTE ON FUNCTION @extschema@.customer_record(uuid, text), @extschema@.kyc_document_url(uuid, text),
  @extschema@.my_profile() TO authenticated, service_role;

-- Data providers in failover order (1 = primary), active ones only.
CREATE VIEW @extschema@.provider_failover WITH (security_invoker = true) AS
  SELECT p.id, p.name, p.provider_type, p.priority, p.available_data_gb, p.cost_per_gb
  FROM @extschema@.data_providers p WHERE p.is_active AND p.deleted_at IS NULL
  ORDER BY p.priority, p.id;
GRANT SELECT ON @extschema@.provider_failover TO authenticated, service_role;

-- Published knowledge-base articles (what customers and anon read).
CREATE VIEW @extschema@.published_articles WITH (security_invoker = true) AS
  SELECT k.id, k.title, k.slug, k.content, k.category, k.tags, k.views, k.created_at, k.updated_at
  FROM @extschema@.knowledge_base k WHERE k.is_published AND k.deleted_at IS NULL;
GRANT SELECT ON @extschema@.published_articles TO anon, authenticated, service_role;

REVOKE EXECUTE ON FUNCTION @extschema@.price_at(uuid, text, timestamptz),
  @extschema@.purchase(uuid, @extschema@.payment_method, text, text),
  @extschema@.record_article_view(text),
  @extschema@.notify_from_template(uuid, text, @extschema@.notification_type, jsonb),
  @extschema@.generate_revenue_report(@extschema@.report_period_type, date),
  @extschema@.dashboard() FROM PUBLIC, anon;
GRANT EXECUTE ON FUNCTION @extschema@.price_at(uuid, text, timestamptz),
  @extschema@.record_article_view(text) TO anon;
GRANT EXECUTE ON FUNCTION @extschema@.price_at(uuid, text, timestamptz),
  @extschema@.purchase(uuid, @extschema@.payment_method, text, text),
  @extschema@.record_article_view(text),
  @extschema@.notify_from_template(uuid, text, @extschema@.notification_type, jsonb),
  @extschema@.generate_revenue_report(@extschema@.report_period_type, date),
  @extschema@.dashboard() TO authenticated, service_role;

-- =============================================================================
-- reconcile: every maintained figure and rule recomputed from the rows; one
-- row per disagreement, none when all is well. The stress run's oracle and
-- an operator's check (service role).
-- =============================================================================
CREATE VIEW @extschema@.reconcile WITH (security_invoker = true) AS
  SELECT 'promotional_codes.used_count' AS figure, p.id AS row_id,
         p.used_count::text AS stored, count(t.id)::text AS computed
    FROM @extschema@.promotional_codes p
    LEFT JOIN (SELECT id, promo_code_id, status FROM @extschema@.transactions
               UNION ALL SELECT id, promo_code_id, status FROM @extschema@.transactions_archive) t
      ON t.promo_code_id = p.id AND t.status IN ('pending', 'completed', 'refunded')
   GROUP BY p.id HAVING p.used_count <> count(t.id) OR p.used_count > coalesce(p.max_uses, p.used_count)
  UNION ALL
  SELECT 'transactions.total_amount', t.id, t.total_amount::text, (t.amount - t.discount_amount + t.tax_amount)::text
    FROM @extschema@.transactions t WHERE t.total_amount <> t.amount - t.discount_amount + t.tax_amount
  UNION ALL
  SELECT 'refunds within total', t.id, t.total_amount::text, sum(r.amount)::text
    FROM @extschema@.transactions t JOIN @extschema@.refunds r ON r.transaction_id = t.id AND r.status <> 'failed'
   GROUP BY t.id HAVING sum(r.amount) > t.total_amount
  UNION ALL
  SELECT 'transactions.status refunded', t.id, t.status::text,
         CASE WHEN coalesce(sum(r.amount) FILTER (WHERE r.status = 'processed'), 0) >= t.total_amount AND t.total_amount > 0
              THEN 'refunded' ELSE 'not refunded' END
    FROM @extschema@.transactions t LEFT JOIN @extschema@.refunds r ON r.transaction_id = t.id
   WHERE t.status IN ('completed', 'refunded')
   GROUP BY t.id
  HAVING (t.status = 'refunded') <> (coalesce(sum(r.amount) FILTER (WHERE r.status = 'processed'), 0) >= t.total_amount AND t.total_amount > 0)
  UNION ALL
  SELECT 'completed purchase has its eSIM', t.id, coalesce(t.esim_id::text, 'none'), 'the buyer''s eSIM of the plan'
    FROM @extschema@.transactions t LEFT JOIN @extschema@.esims e ON e.id = t.esim_id
   WHERE t.status IN ('completed', 'refunded') AND t.plan_id IS NOT NULL
     AND (e.id IS NULL OR e.user_id IS DISTINCT FROM t.user_id OR e.plan_id IS DISTINCT FROM t.plan_id)
  UNION ALL
  SELECT 'users.kyc_status', u.id, u.kyc_status::text,
         CASE WHEN bool_or(d.status = 'approved') THEN 'verified'
              WHEN count(d.id) > 0 AND bool_and(d.status = 'rejected') THEN 'rejected' ELSE 'pending' END
    FROM @extschema@.users u JOIN @extschema@.kyc_documents d ON d.user_id = u.id AND d.deleted_at IS NULL
   GROUP BY u.id
  HAVING u.kyc_status::text <> CASE WHEN bool_or(d.status = 'approved') THEN 'verified'
              WHEN count(d.id) > 0 AND bool_and(d.status = 'rejected') THEN 'rejected' ELSE 'pending' END
  UNION ALL
  SELECT 'ticket numbers gapless', NULL, count(*)::text, max(substr(s.ticket_number, 10)::bigint)::text
    FROM (SELECT ticket_number FROM @extschema@.support_tickets
          UNION ALL SELECT ticket_number FROM @extschema@.support_tickets_archive) s GROUP BY substr(s.ticket_number, 5, 4)
  HAVING count(*) <> max(substr(s.ticket_number, 10)::bigint)
  UNION ALL
  SELECT 'support_tickets.resolved_at', s.id, coalesce(s.resolved_at::text, 'none'), s.status::text
    FROM @extschema@.support_tickets s WHERE (s.status IN ('resolved', 'closed')) <> (s.resolved_at IS NOT NULL)
  UNION ALL
  SELECT 'daily_sales ' || coalesce(k.day, c.day)::text, coalesce(k.plan_id, c.plan_id),
         coalesce(k.transactions, 0) || ' / ' || coalesce(k.revenue, 0), coalesce(c.transactions, 0) || ' / ' || coalesce(c.revenue, 0)
    FROM esim_admin_internal.daily_sales k
    FULL JOIN (SELECT (t.completed_at AT TIME ZONE 'UTC')::date AS day, t.plan_id, count(*) AS transactions, sum(t.total_amount) AS revenue
                 FROM @extschema@.transactions t
                WHERE t.status IN ('completed', 'refunded') AND t.deleted_at IS NULL
                GROUP BY 1, 2) c ON c.day = k.day AND c.plan_id IS NOT DISTINCT FROM k.plan_id
   WHERE coalesce(k.transactions, 0) <> coalesce(c.transactions, 0) OR coalesce(k.revenue, 0) <> coalesce(c.revenue, 0);
COMMENT ON VIEW @extschema@.reconcile IS
  'Every maintained figure and rule recomputed from the rows: one row per disagreement (none when all is well)';
REVOKE ALL ON @extschema@.reconcile FROM PUBLIC, anon, authenticated;
GRANT SELECT ON @extschema@.reconcile TO service_role;

-- =============================================================================
-- Retention (api/retention.cpp): one call applies the whole policy; safe to
-- run at any time. Scheduled nightly where pg_cron is installed.
-- =============================================================================
CREATE FUNCTION esim_admin_internal.apply_retention(timestamptz) RETURNS jsonb
AS 'MODULE_PATHNAME', 'esim_admin_apply_retention'
LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION esim_admin_internal.schedule_retention() RETURNS text
AS 'MODULE_PATHNAME', 'esim_admin_schedule_retention'
LANGUAGE C VOLATILE SET search_path = pg_catalog, pg_temp;
REVOKE EXECUTE ON FUNCTION esim_admin_internal.apply_retention(timestamptz), esim_admin_internal.schedule_retention() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION esim_admin_internal.apply_retention(timestamptz) TO service_role;

CREATE FUNCTION @extschema@.apply_retention(at timestamptz DEFAULT now()) RETURNS jsonb
LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$ SELECT esim_admin_internal.apply_retention(at) $$;
COMMENT ON FUNCTION @extschema@.apply_retention(timestamptz) IS
  'Applies the retention policy as of `at`: rows moved or removed per step; the service role (and the pg_cron job)';
REVOKE EXECUTE ON FUNCTION @extschema@.apply_retention(timestamptz) FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION @extschema@.apply_retention(timestamptz) TO service_role;

SELECT esim_admin_internal.schedule_retention();
