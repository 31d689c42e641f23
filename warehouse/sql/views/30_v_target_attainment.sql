-- v_target_attainment: one row per region, indicator, measure and year that has a target:
-- the target the region set for year Y in its year-Y report, beside the result for year Y from
-- its year-Y+1 report (an actual, else the estimate), the gap and whether the target was met.
-- met: at_most targets (控制在…以内) are met at or below the target (the upper end of a range);
-- approx targets (…左右) within 5% below the target or above it; all others at or above the
-- target (its lower end for a range). Stretch goals (力争) are shown beside, never as the target.
-- Facts whose year could not be decided (year_basis 'unknown', year NULL) never take part.
-- Each group's fact is picked by arg_min over a sort key, then joined back by fact_key for its
-- columns: a window (row_number) carried every sentence through its sort, and held ~4x the
-- memory for 350,000 facts.
CREATE OR REPLACE VIEW v_target_attainment AS
WITH targets AS (  -- each group's target: the latest report's (then by address and sentence)
    SELECT region, indicator, measure, unit, year,
           arg_min(fact_key, (publish_date IS NULL, -epoch(publish_date), document_url,
                              sentence)) AS fact_key
    FROM v_indicator_values
    WHERE kind = 'target' AND qualifier <> 'stretch' AND report_year = year AND year IS NOT NULL
    GROUP BY ALL
),
stretches AS (
    SELECT region, indicator, measure, unit, year, max(value) AS stretch_value
    FROM v_indicator_values
    WHERE kind = 'target' AND qualifier = 'stretch' AND report_year = year
    GROUP BY ALL
),
results AS (  -- ... and its result: an actual before an estimate, then as above
    SELECT region, indicator, measure, unit, year,
           arg_min(fact_key, (kind <> 'actual', publish_date IS NULL, -epoch(publish_date),
                              document_url, sentence)) AS fact_key
    FROM v_indicator_values
    WHERE kind IN ('actual', 'estimate') AND report_year = year + 1 AND year IS NOT NULL
    GROUP BY ALL
),
pairs AS (
    SELECT t.fact_key AS target_key, r.fact_key AS result_key
    FROM targets t
    LEFT JOIN results r
           ON r.region = t.region AND r.indicator = t.indicator AND r.measure = t.measure
          AND r.unit = t.unit AND r.year = t.year
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
FROM pairs p
JOIN v_indicator_values t ON t.fact_key = p.target_key
LEFT JOIN v_indicator_values r ON r.fact_key = p.result_key
LEFT JOIN stretches s
       ON s.region = t.region AND s.indicator = t.indicator AND s.measure = t.measure
      AND s.unit = t.unit AND s.year = t.year;
