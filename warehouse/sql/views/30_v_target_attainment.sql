-- v_target_attainment: one row per region, indicator, measure and year that has a target:
-- the target the region set for year Y in its year-Y report, beside the result for year Y from
-- its year-Y+1 report (an actual, else the estimate), the gap and whether the target was met.
-- met: at_most targets (控制在…以内) are met at or below the target (the upper end of a range);
-- approx targets (…左右) within 5% below the target or above it; all others at or above the
-- target (its lower end for a range). Stretch goals (力争) are shown beside, never as the target.
-- Facts whose year could not be decided (year_basis 'unknown', year NULL) never take part.
CREATE OR REPLACE VIEW v_target_attainment AS
WITH targets AS (
    SELECT region, indicator, measure, unit, year, value, value_high, qualifier, document_url,
           sentence,
           row_number() OVER (PARTITION BY region, indicator, measure, unit, year
                              ORDER BY publish_date DESC NULLS LAST, document_url, sentence) AS pick
    FROM v_indicator_values
    WHERE kind = 'target' AND qualifier <> 'stretch' AND report_year = year AND year IS NOT NULL
),
stretches AS (
    SELECT region, indicator, measure, unit, year, max(value) AS stretch_value
    FROM v_indicator_values
    WHERE kind = 'target' AND qualifier = 'stretch' AND report_year = year
    GROUP BY ALL
),
results AS (
    SELECT region, indicator, measure, unit, year, value, kind, document_url, sentence,
           row_number() OVER (PARTITION BY region, indicator, measure, unit, year
                              ORDER BY kind = 'actual' DESC, publish_date DESC NULLS LAST,
                                       document_url, sentence) AS pick
    FROM v_indicator_values
    WHERE kind IN ('actual', 'estimate') AND report_year = year + 1 AND year IS NOT NULL
)
SELECT
    t.region,
    t.indicator,
    t.measure,
    t.unit,
    t.year,
    t.value          AS target_value,
    t.value_high     AS target_value_high,
    t.qualifier      AS target_qualifier,
    s.stretch_value,
    r.value          AS actual_value,
    r.kind           AS actual_kind,
    r.value - t.value AS gap,
    CASE
        WHEN r.value IS NULL THEN NULL
        WHEN t.qualifier = 'at_most' THEN r.value <= coalesce(t.value_high, t.value)
        WHEN t.qualifier = 'approx' THEN r.value >= t.value - abs(t.value) * 0.05
        ELSE r.value >= t.value
    END              AS target_met,
    CASE WHEN r.value IS NULL OR s.stretch_value IS NULL THEN NULL
         ELSE r.value >= s.stretch_value END AS stretch_met,
    t.document_url   AS target_document_url,
    r.document_url   AS actual_document_url,
    t.sentence       AS target_sentence,
    r.sentence       AS actual_sentence
FROM targets t
LEFT JOIN stretches s USING (region, indicator, measure, unit, year)
LEFT JOIN results r
       ON r.region = t.region AND r.indicator = t.indicator AND r.measure = t.measure
      AND r.unit = t.unit AND r.year = t.year AND r.pick = 1
WHERE t.pick = 1;
