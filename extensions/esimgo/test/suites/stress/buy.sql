-- A customer (1-24 stay, 25-32 come and go) opens a checkout and takes it some steps, or resumes one.
\set who random(1, 32)
\set days random(1, 30)
\set place random(1, 10)
\set pm random(1, 5)
\set go random(0, 4)
SELECT stress.buy(:who, :days, :place, :pm, :go);
