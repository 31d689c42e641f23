-- report: targets beside their results (v_target_attainment), with the indicator's name and
-- the sentences behind both numbers; percent measures first (they share one axis).
SELECT a.region, a.indicator, i.name_zh AS indicator_name, a.measure, a.unit, a.year,
       a.target_value, a.target_value_high, a.target_qualifier, a.stretch_value,
       a.actual_value, a.actual_kind, a.target_met,
       a.target_document_url, a.actual_document_url, a.target_sentence, a.actual_sentence
FROM v_target_attainment a
LEFT JOIN dim_indicator i ON i.indicator = a.indicator
ORDER BY a.unit <> 'percent', a.actual_value IS NULL, a.region, a.indicator, a.measure, a.year
