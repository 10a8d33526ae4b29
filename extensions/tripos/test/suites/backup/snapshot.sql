-- What must survive a dump and restore: rows of every table, the order, the figures.
SELECT 'profiles', count(*)::text FROM profiles UNION ALL
SELECT 'user_settings', count(*)::text FROM user_settings UNION ALL
SELECT 'trips', count(*)::text FROM trips UNION ALL
SELECT 'itinerary', string_agg(day_number || ':' || order_index || ':' || name, ',' ORDER BY day_number, order_index) FROM trip_items UNION ALL
SELECT 'activity_log', count(*)::text FROM activity_log UNION ALL
SELECT 'collaborators', string_agg(role || '/' || status, ',') FROM collaborators UNION ALL
SELECT 'trip_invitations', count(*)::text FROM trip_invitations UNION ALL
SELECT 'expense_splits', string_agg(share_minor::text, ',' ORDER BY share_minor) FROM expense_splits UNION ALL
SELECT 'budget_events', string_agg(threshold_percent::text, ',' ORDER BY threshold_percent) FROM budget_events UNION ALL
SELECT 'ai_runs', string_agg(tokens_total || '/' || cost_usd, ',') FROM ai_runs UNION ALL
SELECT 'ai_usage_monthly', string_agg(runs || '/' || tokens_total || '/' || cost_usd, ',') FROM ai_usage_monthly UNION ALL
SELECT 'subscriptions', string_agg(status, ',') FROM subscriptions UNION ALL
SELECT 'usage_limits', string_agg(ai_runs_limit || '/' || trips_limit, ',' ORDER BY user_id) FROM usage_limits UNION ALL
SELECT 'billing_events', count(*)::text FROM billing_events UNION ALL
SELECT 'notification_preferences', count(*)::text FROM notification_preferences UNION ALL
SELECT 'scheduled_jobs', string_agg(status, ',' ORDER BY status) FROM scheduled_jobs UNION ALL
SELECT 'order problems', count(*)::text FROM itinerary_order_problems() UNION ALL
SELECT 'usage drift', count(*)::text FROM reconcile_ai_usage() UNION ALL
SELECT 'split problems', count(*)::text FROM expense_split_problems();
