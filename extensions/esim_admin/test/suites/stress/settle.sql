-- The payment webhook settles the oldest pending purchases: completed (an
-- eSIM assigned) or, one time in four, failed (the code's use given back).
\set fail random(1, 4)
UPDATE esim_admin.transactions SET status = CASE WHEN :fail = 1 THEN 'failed' ELSE 'completed' END::esim_admin.transaction_status
 WHERE id = (SELECT id FROM esim_admin.transactions WHERE status = 'pending' ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED);
