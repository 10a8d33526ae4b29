-- Bad input from customers, anon, the admin and the service role: refused with its SQLSTATE.
\set k random(1, 20)
\set who random(1, 24)
SELECT stress.bad(:k, :who);
