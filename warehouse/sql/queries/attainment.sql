-- The run summary's targets against results: decided ones first, at most ? rows.
SELECT region, indicator, measure, unit, year, target_value, target_qualifier, actual_value,
       target_met
FROM v_target_attainment
ORDER BY actual_value IS NULL, region, indicator, year
LIMIT ?
