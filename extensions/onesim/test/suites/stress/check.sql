-- Invariants after the run; each query returns the rows that break one.
\pset footer off
\echo == reconcile() differences
SELECT * FROM onesim_internal.reconcile();
\echo == commissionable orders without exactly one earning
SELECT o.id, count(e.id) FROM orders o LEFT JOIN partner_earnings e ON e.order_id = o.id
 WHERE o.commission_applicable GROUP BY o.id HAVING count(e.id) <> 1;
\echo == earnings of orders that are not commissionable
SELECT e.id FROM partner_earnings e JOIN orders o ON o.id = e.order_id WHERE NOT o.commission_applicable;
\echo == partners with negative pending or total earnings
SELECT id, pending_earnings, total_earnings FROM partners WHERE pending_earnings < 0 OR total_earnings < 0;
\echo == earnings whose status does not follow their order
SELECT e.id, o.order_status, e.status, e.paid_out FROM partner_earnings e JOIN orders o ON o.id = e.order_id
 WHERE (o.order_status IN ('PENDING', 'PROCESSING') AND e.status NOT IN ('pending', 'earned', 'paid'))
    OR (o.order_status = 'ALLOCATED' AND e.status NOT IN ('earned', 'paid'))
    OR (o.order_status IN ('CANCELLED', 'REFUNDED', 'FAILED') AND e.status <> 'cancelled');
