-- report: how the facts' years and kinds were decided (docs/facts.md): counts per basis.
SELECT year_basis, kind, count(*) AS facts
FROM fct_indicator_value
GROUP BY ALL
ORDER BY year_basis, kind
