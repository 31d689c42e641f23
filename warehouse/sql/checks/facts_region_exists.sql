-- check: every fact's region is in dim_region | severity: error
SELECT f.fact_key, f.region FROM fct_indicator_value f
LEFT JOIN dim_region r USING (region_key) WHERE f.region_key IS NOT NULL AND r.region_key IS NULL
