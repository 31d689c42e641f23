-- v_target_attainment: one row per region, indicator, measure and year that has a target:
-- the target the region set for year Y in its year-Y report, beside the result for year Y from
-- its year-Y+1 report (an actual, else the estimate), the gap and whether the target was met.
-- met: at_most targets (控制在…以内) are met at or below the target (the upper end of a range);
-- approx targets (…左右) within 5% below the target or above it; all others at or above the
-- target (its lower end for a range). Stretch goals (力争) are shown beside, never as the target.
-- Facts whose year could not be decided (year_basis 'unknown', year NULL) never take part.
-- One pass over the facts picks each group's target and result by arg_min over its sort key,
-- carrying the columns shown: a window (row_number) sorted every sentence, and three passes
-- joined ran out of 64 MB where this runs (350,000 facts).
CREATE OR REPLACE VIEW v_target_attainment AS
WITH picked AS (  -- one pass over the facts, one group per region, indicator, measure, unit, year
    SELECT region, indicator, measure, unit, year,
           -- the target: the latest report's (then by address and sentence)
           arg_min({'value': value, 'value_high': value_high, 'qualifier': qualifier,
                    'document_url': document_url, 'sentence': sentence},
                   (publish_date IS NULL, -epoch(publish_date), document_url, sentence))
               FILTER (WHERE kind = 'target' AND qualifier <> 'stretch'
                             AND report_year = year) AS t,
           -- a fact without a region is never paired (as a join on region never did)
           max(value) FILTER (WHERE kind = 'target' AND qualifier = 'stretch'
                                    AND report_year = year AND region IS NOT NULL)
               AS stretch_value,
           -- the result: an actual before an estimate, then as above
           arg_min({'value': value, 'kind': kind, 'document_url': document_url,
                    'sentence': sentence},
                   (kind <> 'actual', publish_date IS NULL, -epoch(publish_date), document_url,
                    sentence))
               FILTER (WHERE kind IN ('actual', 'estimate') AND report_year = year + 1
                             AND region IS NOT NULL) AS r
    FROM v_indicator_values
    WHERE year IS NOT NULL
      AND ((kind = 'target' AND report_year = year)
           OR (kind IN ('actual', 'estimate') AND report_year = year + 1))
    GROUP BY ALL
)
SELECT
    region,
    indicator,
    measure,
    unit,
    year,
    t.value          AS target_value,
    t.value_high     AS target_value_high,
    t.qualifier      AS target_qualifier,
    stretch_value,
    r.value          AS actual_value,
    r.kind           AS actual_kind,
    r.value - t.value AS gap,
    CASE
        WHEN r.value IS NULL THEN NULL
        WHEN t.qualifier = 'at_most' THEN r.value <= coalesce(t.value_high, t.value)
        WHEN t.qualifier = 'approx' THEN r.value >= t.value - abs(t.value) * 0.05
        ELSE r.value >= t.value
    END              AS target_met,
    CASE WHEN r.value IS NULL OR stretch_value IS NULL THEN NULL
         ELSE r.value >= stretch_value END AS stretch_met,
    t.document_url   AS target_document_url,
    r.document_url   AS actual_document_url,
    t.sentence       AS target_sentence,
    r.sentence       AS actual_sentence
FROM picked
WHERE t IS NOT NULL;
