-- The payment webhook settles the oldest pending purchases: completed (an
-- eSIM assigned) or, one time in four, failed (the code's use given back).
-- A plan out of stock refuses the completion (55000) and the purchase stays
-- pending, as it would for the real webhook.
\set fail random(1, 4)
SELECT stress.try(format('UPDATE esim_admin.transactions SET status = %L WHERE id = %L',
         CASE WHEN :fail = 1 THEN 'failed' ELSE 'completed' END, t.id))
  FROM (SELECT id FROM esim_admin.transactions WHERE status = 'pending' ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED) t;
