-- The payment provider's webhooks (service role): out of order, replayed, duplicated.
\set pick random(0, 8)
\set event random(1, 6)
SELECT stress.webhook(:pick, :event);
