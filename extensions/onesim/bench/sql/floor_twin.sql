-- The write scenarios' floor: bench.orders_floor, a twin of orders without
-- the design's triggers. Same columns, defaults, CHECK constraints, indexes
-- and foreign keys (LIKE ... INCLUDING ALL, then the foreign keys), and the
-- same rows; the floor's scripts write to it what the design's scripts
-- write to orders. Living in the same database, the design and its floor
-- run in one pgbench run, interleaved transaction by transaction
-- (run.sh's interleaved()). Loaded after load.sql, in both databases.
CREATE TABLE bench.orders_floor (LIKE public.orders INCLUDING ALL);
DO $$
DECLARE
  fk record;
BEGIN
  FOR fk IN SELECT conname, pg_get_constraintdef(oid) AS def
              FROM pg_constraint
             WHERE conrelid = 'public.orders'::regclass AND contype = 'f'
             ORDER BY conname
  LOOP
    EXECUTE format('ALTER TABLE bench.orders_floor ADD CONSTRAINT %I %s', fk.conname, fk.def);
  END LOOP;
END $$;
INSERT INTO bench.orders_floor SELECT * FROM public.orders;
VACUUM ANALYZE bench.orders_floor;
