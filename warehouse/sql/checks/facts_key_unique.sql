-- check: no two facts share a key (the fact table keeps keys unique by its loader) | severity: error
SELECT fact_key, count(*) AS copies FROM fct_indicator_value GROUP BY fact_key HAVING count(*) > 1
