-- Fulfilment (service role) of new orders; refunds (admin).
\set what random(1, 6)
\set mb random(1, 4)
SELECT stress.fulfil(:what, :mb * 1000000);
