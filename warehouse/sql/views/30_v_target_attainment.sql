-- v_target_attainment: one row per region, indicator, measure and year that has a target:
-- the target the region set for year Y in its year-Y report, beside the result for year Y from
-- its year-Y+1 report (an actual, else the estimate), the gap and whether the target was met.
-- met: at_most targets (控制在…以内) are met at or below the target (the upper end of a range);
-- approx targets (…左右) within 5% below the target or above it; all others at or above the
-- target (its lower end for a range). Stretch goals (力争) are shown beside, never as the target.
-- Facts whose year could not be decided (year_basis 'unknown', year NULL) never take part.
-- Each group's fact is picked by arg_min over its sort key, carrying the columns it shows: a
-- window (row_number) carried every sentence through its sort, and held ~4x the memory for
-- 350,000 facts; joining the picked facts back by key made the facts a join's build side.
CREATE OR REPLACE VIEW v_target_attainment AS
WITH targets AS (  -- each group's target: the latest report's (then by address and sentence)
    SELECT region, indicator, measure, unit, year,
           arg_min({'value': value, 'value_high': value_high, 'qualifier': qualifier,
                    'document_url': document_url, 'sentence': sentence},
                   (publish_date IS NULL, -epoch(publish_date), document_url, sentence)) AS t
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
           arg_min({'value': value, 'kind': kind, 'document_url': document_url,
                    'sentence': sentence},
                   (kind <> 'actual', publish_date IS NULL, -epoch(publish_date), document_url,
                    sentence)) AS r
    FROM v_indicator_values
    WHERE kind IN ('actual', 'estimate') AND report_year = year + 1 AND year IS NOT NULL
    GROUP BY ALL
)
SELECT
    g.region,
    g.indicator,
    g.measure,
    g.unit,
    g.year,
    g.t.value        AS target_value,
    g.t.value_high   AS target_value_high,
    g.t.qualifier    AS target_qualifier,
    s.stretch_value,
    r.r.value        AS actual_value,
    r.r.kind         AS actual_kind,
    r.r.value - g.t.value AS gap,
    CASE
        WHEN r.r.value IS NULL THEN NULL
        WHEN g.t.qualifier = 'at_most' THEN r.r.value <= coalesce(g.t.value_high, g.t.value)
        WHEN g.t.qualifier = 'approx' THEN r.r.value >= g.t.value - abs(g.t.value) * 0.05
        ELSE r.r.value >= g.t.value
    END              AS target_met,
    CASE WHEN r.r.value IS NULL OR s.stretch_value IS NULL THEN NULL
         ELSE r.r.value >= s.stretch_value END AS stretch_met,
    g.t.document_url AS target_document_url,
    r.r.document_url AS actual_document_url,
    g.t.sentence     AS target_sentence,
    r.r.sentence     AS actual_sentence
FROM targets g
LEFT JOIN stretches s
       ON s.region = g.region AND s.indicator = g.indicator AND s.measure = g.measure
      AND s.unit = g.unit AND s.year = g.year
LEFT JOIN results r
       ON r.region = g.region AND r.indicator = g.indicator AND r.measure = g.measure
      AND r.unit = g.unit AND r.year = g.year;
