
-- ---------------------------------------------------------------------------
-- Commission calculation (C++: domain/commission.cpp). A rerun part: the
-- install and every update define these functions from here.
-- ---------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION calculate_commission(retail_price numeric, commission_rate numeric,
                                     currency text DEFAULT 'USD')
RETURNS numeric
AS 'MODULE_PATHNAME', 'onesim_calculate_commission'
LANGUAGE C IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION calculate_commission(numeric, numeric, text) IS
  'Partner discount on a retail price: price x rate / 100, rounded half away from zero to the currency''s minor units (USD 4 dp, UZS 2 dp)';

-- Returns a named composite, not OUT parameters: apps' generated types then
-- know every field (an OUT record comes out as Record<string, unknown>).
CREATE OR REPLACE FUNCTION commission_breakdown(retail_price numeric, commission_rate numeric,
                                                currency text DEFAULT 'USD')
RETURNS commission_breakdown_result
AS 'MODULE_PATHNAME', 'onesim_commission_breakdown'
LANGUAGE C IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION commission_breakdown(numeric, numeric, text) IS
  'Retail price, rate, commission, what the partner pays (retail - commission) and the partner''s savings';
