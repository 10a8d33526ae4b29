-- A customer opens a ticket or replies to one; support resolves some.
\set who random(1, 40)
\set what random(1, 3)
BEGIN;
SELECT stress.as_user(:who);
SET LOCAL ROLE authenticated;
INSERT INTO esim_admin.support_tickets (user_id, subject, description)
  SELECT auth.uid(), 'Help', 'stress' WHERE :what = 1;
INSERT INTO esim_admin.ticket_messages (ticket_id, message)
  SELECT id, 'more' FROM esim_admin.support_tickets WHERE user_id = auth.uid() AND :what = 2 ORDER BY created_at DESC LIMIT 1;
RESET ROLE;
UPDATE esim_admin.support_tickets SET status = 'resolved'
 WHERE id = (SELECT id FROM esim_admin.support_tickets WHERE status = 'open' AND :what = 3 ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED);
COMMIT;
