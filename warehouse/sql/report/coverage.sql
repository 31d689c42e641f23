-- report: facts per region and year (the years the facts are about), by kind.
SELECT region, year, kind, count(*) AS facts
FROM fct_indicator_value
WHERE region IS NOT NULL AND year IS NOT NULL
GROUP BY ALL
ORDER BY region, year, kind
