-- check: a fact's year within 10 years of its report's year | severity: warn
SELECT f.fact_key, f.year, d.report_year, f.sentence FROM fct_indicator_value f
JOIN dim_document d USING (document_key)
WHERE f.year IS NOT NULL AND d.report_year IS NOT NULL AND abs(f.year - d.report_year) > 10
