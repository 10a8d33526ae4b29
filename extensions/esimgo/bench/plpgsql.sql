SELECT count(*), sum(final_price) FROM bench.plpgsql_price_catalog();
