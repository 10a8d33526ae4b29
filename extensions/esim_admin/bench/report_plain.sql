-- The same month's figures as the plain GROUP BY a person would write (soft
-- deletes and refunds honoured), as the table owner (no RLS).
SELECT m.month, m.revenue - coalesce(r.refunded, 0) AS total_revenue, m.n AS transaction_count
  FROM (SELECT date_trunc('month', completed_at) AS month, sum(total_amount) AS revenue, count(*) AS n
          FROM esim_admin.transactions
         WHERE status IN ('completed', 'refunded') AND deleted_at IS NULL
           AND completed_at >= date_trunc('month', now() - interval '1 month')
           AND completed_at < date_trunc('month', now())
         GROUP BY 1) m
  LEFT JOIN (SELECT date_trunc('month', r.processed_at) AS month, sum(r.amount) AS refunded
               FROM esim_admin.refunds r JOIN esim_admin.transactions t ON t.id = r.transaction_id
              WHERE r.status = 'processed' AND t.deleted_at IS NULL
                AND r.processed_at >= date_trunc('month', now() - interval '1 month')
                AND r.processed_at < date_trunc('month', now())
              GROUP BY 1) r USING (month);
