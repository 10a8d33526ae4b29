-- supabase_platform update from 1.0 to 1.1 (ALTER EXTENSION supabase_platform
-- UPDATE). No table changes: the rerun part the build appends
-- (10_auth_functions.rerun.sql) defines auth.uid(), auth.role(), auth.email()
-- and auth.jwt() again without 1.0's SET search_path, so they are inlined.
\echo Use "ALTER EXTENSION supabase_platform UPDATE TO '1.1'" to load this file. \quit
