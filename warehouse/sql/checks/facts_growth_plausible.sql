-- check: growth rates within +-1000% | severity: warn
SELECT fact_key, indicator, value, sentence FROM fct_indicator_value
WHERE measure = 'growth_pct' AND abs(value) > 1000
