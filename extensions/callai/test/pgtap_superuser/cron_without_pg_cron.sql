-- The scheduling functions where pg_cron is not installed: nothing is
-- scheduled and they say so. They are the install script's (EXECUTE revoked
-- from PUBLIC and the API roles, owned by the bootstrap superuser): only a
-- superuser can call them. With pg_cron: test/suites/cron.sh.
BEGIN;
SELECT plan(2);
SELECT is(callai_internal.schedule_idle_completion(), false, 'without pg_cron nothing is scheduled');
SELECT is(callai_internal.schedule_call_figure_fold(), false, 'nor the call figure fold');
SELECT * FROM finish();
ROLLBACK;
