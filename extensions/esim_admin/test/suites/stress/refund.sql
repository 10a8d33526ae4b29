-- An admin refunds part of a recent purchase; two admins often pick the same
-- one. Some refunds are processed at once, some later, some fail.
\set pick random(0, 9)
\set cents random(100, 900)
\set how random(1, 3)
SELECT stress.try(format('INSERT INTO esim_admin.refunds (transaction_id, amount, status) VALUES (%L, %s, %L)',
         t.id, :cents / 100.0, CASE :how WHEN 1 THEN 'processed' ELSE 'pending' END))
  FROM (SELECT id FROM esim_admin.transactions WHERE status = 'completed' ORDER BY completed_at DESC OFFSET :pick LIMIT 1) t;
UPDATE esim_admin.refunds SET status = CASE WHEN :how = 3 THEN 'failed' ELSE 'processed' END::esim_admin.refund_status
 WHERE id = (SELECT id FROM esim_admin.refunds WHERE status = 'pending' ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED);
