-- The facts of a batch (registered as _incoming_facts: one Arrow column per fact field, plus
-- document_key and _load_id) into the fact table, with their keys computed here, column at a
-- time: the same values warehouse/keys.py gives (md5 of the parts joined by U+001F, NULL as
-- the empty string; DuckDB writes a DOUBLE as Python's str() does), so a fact keeps its key
-- whichever path loaded it.
INSERT INTO fct_indicator_value (
    fact_key, document_key, indicator_key, region_key, indicator, indicator_text, measure,
    value, value_high, unit, unit_text, qualifier, kind, year, region, sentence, char_start,
    char_end, year_basis, kind_basis, _load_id
)
SELECT
    md5(concat_ws(chr(31),
        document_key,
        CAST(char_start AS VARCHAR),
        indicator,
        measure,
        kind,
        coalesce(CAST(year AS VARCHAR), ''),
        CAST(value AS VARCHAR),
        coalesce(CAST(value_high AS VARCHAR), ''),
        qualifier
    )),
    document_key,
    md5(indicator),
    CASE WHEN region IS NULL OR region = '' THEN NULL ELSE md5(region) END,
    indicator, indicator_text, measure, value, value_high, unit, unit_text, qualifier, kind,
    year, region, sentence, char_start, char_end, year_basis, kind_basis, _load_id
FROM _incoming_facts
