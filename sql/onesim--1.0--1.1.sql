-- OneSIM upgrade from 1.0 to 1.1 (ALTER EXTENSION onesim UPDATE TO '1.1').
--
-- Every change made to sql/onesim/*.sql since 1.0 is repeated here, so that an
-- upgraded database ends identical to a fresh 1.1 install (test/upgrade.sh
-- compares the two, object by object). Columns added to an existing table go
-- at the end of its CREATE TABLE in sql/onesim/, where ADD COLUMN puts them.
\echo Use "ALTER EXTENSION onesim UPDATE TO '1.1'" to load this file. \quit
