-- v_indicator_values: one row per fact, with its document, region and indicator names.
CREATE OR REPLACE VIEW v_indicator_values AS
SELECT
    f.region,
    r.region_level,
    f.indicator,
    i.name_zh          AS indicator_name,
    f.measure,
    f.value,
    f.value_high,
    f.unit,
    f.qualifier,
    f.kind,
    f.year,
    f.year_basis,
    f.kind_basis,
    p.five_year_plan,
    d.title            AS document_title,
    d.report_type,
    d.report_year,
    d.publish_date,
    d.url              AS document_url,
    f.sentence,
    f.fact_key,
    f.document_key
FROM fct_indicator_value f
JOIN dim_document d USING (document_key)
JOIN dim_indicator i USING (indicator_key)
LEFT JOIN dim_region r ON r.region_key = f.region_key
LEFT JOIN dim_period p ON p.year = f.year;
