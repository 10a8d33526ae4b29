-- ensure_enum: installing where the enums already exist never fails.
-- callai_internal.ensure_enum is the install script's (EXECUTE revoked from
-- PUBLIC, owned by the bootstrap superuser): only a superuser can call it.
BEGIN;
SELECT plan(5);
CREATE SCHEMA enum_probe;
CREATE TYPE enum_probe.order_status AS ENUM ('pending', 'confirmed');
CREATE TABLE enum_probe.not_an_enum (x int);
SELECT lives_ok($$SELECT callai_internal.ensure_enum('enum_probe', 'order_status', ARRAY['pending', 'confirmed', 'shipped'])$$,
                'an existing enum is kept');
SELECT is((SELECT array_agg(enumlabel::text ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = 'enum_probe.order_status'::regtype)::text, '{pending,confirmed,shipped}', 'and gets the labels it lacked, at the end');
SELECT lives_ok($$SELECT callai_internal.ensure_enum('enum_probe', 'order_status', ARRAY['pending'])$$, 'running it again changes nothing');
SELECT lives_ok($$SELECT callai_internal.ensure_enum('enum_probe', 'fresh', ARRAY['a', 'b'])$$, 'a missing enum is created');
SELECT throws_ok($$SELECT callai_internal.ensure_enum('enum_probe', 'not_an_enum', ARRAY['a'])$$, '23514', NULL,
                 'a type of that name that is not an enum is refused');
SELECT * FROM finish();
ROLLBACK;
