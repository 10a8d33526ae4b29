-- Scenario 2c's reference: the writes the OneSIM issue asks of a B2B order,
-- written by hand with no trigger at all, for the same orders the insert
-- scenario places. What any design that does them must at least pay.
--
-- Per B2B order: the order row; its earning, `pending` (the specification's
-- commission lifecycle: "Order created -> partner_earnings.status =
-- 'pending'"); its partner's figures (total_orders, last_order_at,
-- pending_earnings, pending_orders) and its customer's (total_orders,
-- total_spent, last_order_at). A B2C order asks for nothing beyond its row,
-- so its hand-written form is the floor's own statement.
--
-- The writes go to twins of the four tables (bench.orders_floor from
-- floor_twin.sql, and the three below): the same columns, defaults, CHECK
-- constraints, indexes, foreign keys (pointed at the twins where they name
-- one of the four) and rows, and no trigger. They are issued by one PL/pgSQL
-- call, whose plans are kept across calls: the cheapest way to send them
-- (a writable CTE, planned for every call, costs more). Nothing is
-- validated or computed; the application is trusted for the commission, as
-- the seed's application is.
--
-- Loaded after floor_twin.sql.
DO $$
DECLARE
  twin record;
  fk record;
  cols text;
BEGIN
  FOR twin IN SELECT * FROM (VALUES (1, 'partners', 'partners_floor'),
                                    (2, 'partner_customers', 'partner_customers_floor'),
                                    (3, 'partner_earnings', 'partner_earnings_floor')) AS t(n, source, copy)
              ORDER BY n
  LOOP
    EXECUTE format('CREATE TABLE bench.%I (LIKE public.%I INCLUDING ALL)', twin.copy, twin.source);
    FOR fk IN SELECT conname, pg_get_constraintdef(oid) AS def
                FROM pg_constraint
               WHERE conrelid = format('public.%I', twin.source)::regclass AND contype = 'f'
               ORDER BY conname
    LOOP
      EXECUTE format('ALTER TABLE bench.%I ADD CONSTRAINT %I %s', twin.copy, fk.conname,
                     regexp_replace(fk.def, 'REFERENCES (public\.)?(orders|partners|partner_customers)\(',
                                    'REFERENCES bench.\2_floor('));
    END LOOP;
    SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO cols
      FROM pg_attribute
     WHERE attrelid = format('public.%I', twin.source)::regclass AND attnum > 0
       AND NOT attisdropped AND attgenerated = '';
    EXECUTE format('INSERT INTO bench.%I (%s) SELECT %s FROM public.%I', twin.copy, cols, cols, twin.source);
  END LOOP;
END $$;
VACUUM ANALYZE bench.partners_floor, bench.partner_customers_floor, bench.partner_earnings_floor;

CREATE FUNCTION bench.place_b2b_order_by_hand(partner uuid, partner_user uuid, customer uuid)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  order_id uuid;
BEGIN
  INSERT INTO bench.orders_floor (user_id, package_code, package_name, price_usd, price_uzs, source_type, partner_id,
                                  end_customer_id, end_customer_type, customer_first_name, customer_last_name,
                                  customer_email, commission_applicable, commission_rate, commission_amount_usd,
                                  commission_amount_uzs)
  VALUES (partner_user, 'PKG-7', 'Package 7', 15.00, 187500, 'b2b_partner', partner,
          customer, 'b2b_partner_customer', 'Customer', 'Bench',
          'bench@bench.test', true, 5.00, 0.7500, 9375.00)
  RETURNING id INTO order_id;
  INSERT INTO bench.partner_earnings_floor (partner_id, order_id, order_amount_usd, order_amount_uzs, commission_rate,
                                            commission_amount_usd, commission_amount_uzs, status)
  VALUES (partner, order_id, 15.00, 187500, 5.00, 0.7500, 9375.00, 'pending');
  UPDATE bench.partners_floor
     SET total_orders = total_orders + 1, last_order_at = now(), pending_earnings = pending_earnings + 0.7500,
         pending_orders = pending_orders + 1, updated_at = now()
   WHERE id = partner;
  UPDATE bench.partner_customers_floor
     SET total_orders = total_orders + 1, total_spent = total_spent + 15.00, last_order_at = now(), updated_at = now()
   WHERE id = customer;
END $$;
