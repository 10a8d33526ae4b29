-- Usage reports (service role) on the newest bundles; eSIM installs, suspensions, restores.
\set pick random(0, 5)
\set kb random(1, 900)
\set what random(1, 6)
SELECT stress.use(:pick, :kb * 1000, :what);
