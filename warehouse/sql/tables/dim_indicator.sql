-- dim_indicator: one row per indicator code of the catalogue (transform/rules/indicators.toml).
-- Natural key: indicator. indicator_key = md5(indicator).
CREATE TABLE IF NOT EXISTS dim_indicator (
    indicator_key   VARCHAR PRIMARY KEY,
    indicator       VARCHAR NOT NULL UNIQUE,
    name_zh         VARCHAR NOT NULL,
    name_en         VARCHAR,
    synonyms        VARCHAR[],
    _load_id        VARCHAR NOT NULL
);
