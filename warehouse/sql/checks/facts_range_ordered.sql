-- check: a range's upper end is above its lower end | severity: error
SELECT fact_key, value, value_high FROM fct_indicator_value
WHERE value_high IS NOT NULL AND value_high <= value
