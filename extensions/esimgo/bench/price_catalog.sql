SELECT count(*), sum(final_price) FROM public.price_catalog();
