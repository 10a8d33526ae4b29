-- Orders race for the last units: confirm a pending order (refused when its
-- lines want more than is left), cancel a confirmed one (its stock comes
-- back), or reopen a cancelled one.
\set o random(1, 150)
\set what random(1, 3)
SELECT stress.try(format(CASE :what
  WHEN 1 THEN $$UPDATE callai.orders SET status = 'confirmed' WHERE external_id = 'o%s' AND status = 'pending'$$
  WHEN 2 THEN $$UPDATE callai.orders SET status = 'cancelled' WHERE external_id = 'o%s' AND status = 'confirmed'$$
  ELSE $$UPDATE callai.orders SET status = 'pending' WHERE external_id = 'o%s' AND status = 'cancelled'$$
  END, :o));
