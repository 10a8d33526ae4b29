-- An anonymous buyer: a checkout by token, then a customer signs in to take it on, or it is abandoned.
\set days random(1, 30)
\set signer random(0, 32)
\set abandon random(0, 3)
SELECT stress.anon_buy(:days, :signer, :abandon = 0);
