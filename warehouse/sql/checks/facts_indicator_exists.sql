-- check: every fact's indicator is in dim_indicator | severity: error
SELECT f.fact_key, f.indicator FROM fct_indicator_value f
LEFT JOIN dim_indicator i USING (indicator_key) WHERE i.indicator_key IS NULL
