-- fct_indicator_value: one row per fact, i.e. one number a report states about one indicator
-- (docs/facts.md). Natural key: document url + position and reading of the number.
-- fact_key is unique without a PRIMARY KEY index: a document's facts are replaced whole (delete
-- by document, then insert), the keys hold the document's, and the quality gate checks them
-- (checks/facts_key_unique.sql). An index on millions of keys made every load pay for it.
CREATE TABLE IF NOT EXISTS fct_indicator_value (
    fact_key        VARCHAR NOT NULL,
    document_key    VARCHAR NOT NULL,
    indicator_key   VARCHAR NOT NULL,
    region_key      VARCHAR,
    indicator       VARCHAR NOT NULL,
    indicator_text  VARCHAR NOT NULL,
    measure         VARCHAR NOT NULL,
    value           DOUBLE NOT NULL,
    value_high      DOUBLE,
    unit            VARCHAR NOT NULL,
    unit_text       VARCHAR NOT NULL,
    qualifier       VARCHAR NOT NULL,
    kind            VARCHAR NOT NULL,
    year            INTEGER,
    region          VARCHAR,
    sentence        VARCHAR NOT NULL,
    char_start      INTEGER NOT NULL,
    char_end        INTEGER NOT NULL,
    year_basis      VARCHAR NOT NULL DEFAULT 'unknown',
    kind_basis      VARCHAR NOT NULL DEFAULT 'default',
    _load_id        VARCHAR NOT NULL
);
