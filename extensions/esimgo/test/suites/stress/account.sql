-- Customers 25-32 delete their account, or sign up again.
\set who random(25, 32)
\set what random(1, 2)
SELECT stress.account(:who, :what);
