-- onesim_auth 1.0: Supabase's auth surface for plain PostgreSQL 15.
--
-- On Supabase (or wherever auth.users and auth.uid() already exist) this
-- extension creates nothing and OneSIM uses the real auth schema as it is.
-- Elsewhere it creates what Supabase has: the API roles, auth.users with
-- GoTrue's columns, and auth.uid()/role()/email()/jwt() with Supabase's
-- current definitions (migration 20220224000811_update_auth_functions).
\echo Use "CREATE EXTENSION onesim_auth" (or "CREATE EXTENSION onesim CASCADE") to load this file. \quit

-- Roles are cluster-wide and never belong to an extension: create the missing
-- ones only, with Supabase's attributes.
DO $roles$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'anon') THEN
    CREATE ROLE anon NOLOGIN NOINHERIT;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'authenticated') THEN
    CREATE ROLE authenticated NOLOGIN NOINHERIT;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'service_role') THEN
    CREATE ROLE service_role NOLOGIN NOINHERIT BYPASSRLS;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'authenticator') THEN
    CREATE ROLE authenticator LOGIN NOINHERIT;
  END IF;
  GRANT anon, authenticated, service_role TO authenticator;
END
$roles$;

DO $auth$
DECLARE
  have_schema boolean := EXISTS (SELECT FROM pg_catalog.pg_namespace WHERE nspname = 'auth');
  have_users  boolean := pg_catalog.to_regclass('auth.users') IS NOT NULL;
  have_uid    boolean := pg_catalog.to_regprocedure('auth.uid()') IS NOT NULL;
BEGIN
  IF have_users AND have_uid THEN
    RAISE NOTICE 'onesim_auth: using the existing Supabase auth schema';
    RETURN;
  END IF;
  IF have_schema THEN
    RAISE EXCEPTION 'schema "auth" exists but lacks auth.users or auth.uid()'
      USING ERRCODE = 'object_not_in_prerequisite_state',
            HINT = 'Install Supabase''s auth schema completely, or drop the partial "auth" schema.';
  END IF;

  CREATE SCHEMA auth;
  COMMENT ON SCHEMA auth IS 'Supabase-compatible auth schema created by onesim_auth';

  -- GoTrue's users table, as Supabase's auth service creates it.
  CREATE TABLE auth.users (
    instance_id uuid,
    id uuid NOT NULL PRIMARY KEY,
    aud varchar(255),
    role varchar(255),
    email varchar(255),
    encrypted_password varchar(255),
    email_confirmed_at timestamptz,
    invited_at timestamptz,
    confirmation_token varchar(255),
    confirmation_sent_at timestamptz,
    recovery_token varchar(255),
    recovery_sent_at timestamptz,
    email_change_token_new varchar(255),
    email_change varchar(255),
    email_change_sent_at timestamptz,
    last_sign_in_at timestamptz,
    raw_app_meta_data jsonb,
    raw_user_meta_data jsonb,
    is_super_admin boolean,
    created_at timestamptz,
    updated_at timestamptz,
    phone text UNIQUE DEFAULT NULL,
    phone_confirmed_at timestamptz,
    phone_change text DEFAULT '',
    phone_change_token varchar(255) DEFAULT '',
    phone_change_sent_at timestamptz,
    confirmed_at timestamptz GENERATED ALWAYS AS (LEAST(email_confirmed_at, phone_confirmed_at)) STORED,
    email_change_token_current varchar(255) DEFAULT '',
    email_change_confirm_status smallint DEFAULT 0
      CHECK (email_change_confirm_status >= 0 AND email_change_confirm_status <= 2),
    banned_until timestamptz,
    reauthentication_token varchar(255) DEFAULT '',
    reauthentication_sent_at timestamptz,
    is_sso_user boolean NOT NULL DEFAULT false,
    deleted_at timestamptz,
    is_anonymous boolean NOT NULL DEFAULT false
  );
  CREATE INDEX users_instance_id_idx ON auth.users (instance_id);
  CREATE INDEX users_is_anonymous_idx ON auth.users (is_anonymous);
  CREATE UNIQUE INDEX users_email_partial_key ON auth.users (email) WHERE is_sso_user = false;
  COMMENT ON TABLE auth.users IS 'Auth: stores user login data within a secure schema.';
  -- pg_dump keeps the rows of extension tables only when they are registered.
  PERFORM pg_catalog.pg_extension_config_dump('auth.users', '');

  CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS $f$
    SELECT coalesce(
      nullif(current_setting('request.jwt.claim.sub', true), ''),
      (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
    )::uuid
  $f$;
  COMMENT ON FUNCTION auth.uid() IS 'Deprecated. Use auth.jwt() -> ''sub'' instead.';

  CREATE FUNCTION auth.role() RETURNS text LANGUAGE sql STABLE AS $f$
    SELECT coalesce(
      nullif(current_setting('request.jwt.claim.role', true), ''),
      (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
    )::text
  $f$;
  COMMENT ON FUNCTION auth.role() IS 'Deprecated. Use auth.jwt() -> ''role'' instead.';

  CREATE FUNCTION auth.email() RETURNS text LANGUAGE sql STABLE AS $f$
    SELECT coalesce(
      nullif(current_setting('request.jwt.claim.email', true), ''),
      (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email')
    )::text
  $f$;
  COMMENT ON FUNCTION auth.email() IS 'Deprecated. Use auth.jwt() -> ''email'' instead.';

  CREATE FUNCTION auth.jwt() RETURNS jsonb LANGUAGE sql STABLE AS $f$
    SELECT coalesce(
      nullif(current_setting('request.jwt.claim', true), ''),
      nullif(current_setting('request.jwt.claims', true), '')
    )::jsonb
  $f$;

  GRANT USAGE ON SCHEMA auth TO anon, authenticated, service_role;
  GRANT EXECUTE ON FUNCTION auth.uid(), auth.role(), auth.email(), auth.jwt()
    TO anon, authenticated, service_role;
  GRANT SELECT ON auth.users TO service_role;
END
$auth$;
