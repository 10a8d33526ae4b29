-- Catalog sync (service role, or the admin): trigger jobs, run workers, clean up.
\set who random(1, 2)
\set what random(1, 6)
\set scope random(1, 6)
\set variant random(0, 8)
\set prio random(1, 3)
\set force random(0, 1)
SELECT stress.sync(CASE WHEN :who = 1 THEN -1 ELSE 99 END, CASE WHEN :what >= 5 THEN 1 + :what % 3 ELSE :what END,
                   :scope, CASE WHEN :variant > 4 THEN 1 + :variant % 4 ELSE :variant END, :prio, :force = 1);
