-- supabase_platform: the part of Supabase's platform that the systems'
-- schemas use, for plain PostgreSQL 15; where Supabase provides a piece, it is
-- adopted as it is and nothing is created for it.
--
--   roles      anon, authenticated, service_role (BYPASSRLS), authenticator
--   auth       auth.users with GoTrue's columns; auth.uid()/role()/email()/jwt()
--              as Supabase defines them (10_auth_functions.rerun.sql)
--   storage    storage.buckets and storage.objects (RLS on) with the columns
--              policies use, and storage.foldername()/filename()/extension()
--   realtime   the supabase_realtime publication (each system adds its tables)
\echo Use "CREATE EXTENSION supabase_platform" (or "CREATE EXTENSION <system> CASCADE") to load this file. \quit

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
    RAISE NOTICE 'supabase_platform: using the existing Supabase auth schema';
    RETURN;
  END IF;
  IF have_schema THEN
    RAISE EXCEPTION 'schema "auth" exists but lacks auth.users or auth.uid()'
      USING ERRCODE = 'object_not_in_prerequisite_state',
            HINT = 'Install Supabase''s auth schema completely, or drop the partial "auth" schema.';
  END IF;

  CREATE SCHEMA auth;
  COMMENT ON SCHEMA auth IS 'Supabase-compatible auth schema created by supabase_platform';

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

  GRANT USAGE ON SCHEMA auth TO anon, authenticated, service_role;
  GRANT SELECT ON auth.users TO service_role;
  -- The project's owner (the installing role; postgres on Supabase) has
  -- Supabase's privileges on auth: seed users, delete accounts, inspect.
  GRANT USAGE ON SCHEMA auth TO @extowner@;
  GRANT ALL ON ALL TABLES IN SCHEMA auth TO @extowner@;
  -- auth.uid() and friends: 10_auth_functions.rerun.sql.
END
$auth$;

-- Storage: the tables and helpers of supabase/storage's tenant migrations
-- that bucket policies use. Files themselves live in Supabase's storage
-- service; here the rows are what the policies are written against.
DO $storage$
BEGIN
  IF pg_catalog.to_regclass('storage.objects') IS NOT NULL
     AND pg_catalog.to_regprocedure('storage.foldername(text)') IS NOT NULL THEN
    RAISE NOTICE 'supabase_platform: using the existing Supabase storage schema';
    RETURN;
  END IF;
  IF EXISTS (SELECT FROM pg_catalog.pg_namespace WHERE nspname = 'storage') THEN
    RAISE EXCEPTION 'schema "storage" exists but lacks storage.objects or storage.foldername()'
      USING ERRCODE = 'object_not_in_prerequisite_state',
            HINT = 'Install Supabase''s storage schema completely, or drop the partial "storage" schema.';
  END IF;

  CREATE SCHEMA storage;
  COMMENT ON SCHEMA storage IS 'Supabase-compatible storage schema created by supabase_platform';

  CREATE TABLE storage.buckets (
    id text NOT NULL PRIMARY KEY,
    name text NOT NULL,
    owner uuid,
    created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now(),
    public boolean DEFAULT false,
    avif_autodetection boolean DEFAULT false,
    file_size_limit bigint,
    allowed_mime_types text[],
    owner_id text
  );
  CREATE UNIQUE INDEX bname ON storage.buckets USING btree (name);

  CREATE TABLE storage.objects (
    id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    bucket_id text REFERENCES storage.buckets (id),
    name text,
    owner uuid,
    created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now(),
    last_accessed_at timestamptz DEFAULT now(),
    metadata jsonb,
    path_tokens text[] GENERATED ALWAYS AS (pg_catalog.string_to_array(name, '/')) STORED,
    version text,
    owner_id text,
    user_metadata jsonb
  );
  CREATE UNIQUE INDEX bucketid_objname ON storage.objects USING btree (bucket_id, name);
  CREATE INDEX name_prefix_search ON storage.objects USING btree (name text_pattern_ops);
  ALTER TABLE storage.buckets ENABLE ROW LEVEL SECURITY;
  ALTER TABLE storage.objects ENABLE ROW LEVEL SECURITY;
  -- Buckets a system's install script creates carry owner_id
  -- 'extension:<name>': that script makes them again when a dump is
  -- restored, so they are left out of the dump.
  PERFORM pg_catalog.pg_extension_config_dump('storage.buckets',
    $f$WHERE owner_id IS NULL OR owner_id NOT LIKE 'extension:%'$f$);
  PERFORM pg_catalog.pg_extension_config_dump('storage.objects', '');

  -- The path helpers, with Supabase's results ('a/b/c.jpg': {a,b}, 'c.jpg', 'jpg').
  CREATE FUNCTION storage.foldername(name text) RETURNS text[]
    LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $f$
    SELECT (pg_catalog.string_to_array(name, '/'))[1:pg_catalog.array_length(pg_catalog.string_to_array(name, '/'), 1) - 1]
  $f$;
  CREATE FUNCTION storage.filename(name text) RETURNS text
    LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $f$
    SELECT (pg_catalog.string_to_array(name, '/'))[pg_catalog.array_length(pg_catalog.string_to_array(name, '/'), 1)]
  $f$;
  CREATE FUNCTION storage.extension(name text) RETURNS text
    LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $f$
    SELECT pg_catalog.reverse(pg_catalog.split_part(pg_catalog.reverse(storage.filename(name)), '.', 1))
  $f$;

  GRANT USAGE ON SCHEMA storage TO anon, authenticated, service_role;
  GRANT ALL ON storage.buckets, storage.objects TO anon, authenticated, service_role;
  GRANT EXECUTE ON FUNCTION storage.foldername(text), storage.filename(text), storage.extension(text)
    TO anon, authenticated, service_role;
  GRANT USAGE ON SCHEMA storage TO @extowner@;
  GRANT ALL ON ALL TABLES IN SCHEMA storage TO @extowner@;
  GRANT ALL ON ALL ROUTINES IN SCHEMA storage TO @extowner@;
END
$storage$;

-- Realtime: Supabase creates the publication empty; systems add their tables.
-- Where this extension creates it, it is recorded as a member, as CREATE
-- EXTENSION records what its script creates: ALTER EXTENSION ... ADD refuses
-- publications, and pg_dump dumps every publication that is not a member, so
-- a restore (which creates this extension first) would create it twice.
-- (Where wal_level is below logical, CREATE PUBLICATION warns that changes
-- cannot be published yet; Supabase runs with logical.)
DO $realtime$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_publication WHERE pubname = 'supabase_realtime') THEN
    CREATE PUBLICATION supabase_realtime;
    INSERT INTO pg_catalog.pg_depend (classid, objid, objsubid, refclassid, refobjid, refobjsubid, deptype)
    SELECT 'pg_catalog.pg_publication'::regclass, p.oid, 0, 'pg_catalog.pg_extension'::regclass, e.oid, 0, 'e'
      FROM pg_catalog.pg_publication p, pg_catalog.pg_extension e
     WHERE p.pubname = 'supabase_realtime' AND e.extname = 'supabase_platform';
    -- The installing role's, as on Supabase (postgres owns it there): the
    -- project's owner adds its own tables to it.
    ALTER PUBLICATION supabase_realtime OWNER TO @extowner@;
  END IF;
END
$realtime$;
