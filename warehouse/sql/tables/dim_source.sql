-- dim_source: one row per configured source (portal column) ever crawled.
-- Natural key: source_id. source_key = md5(source_id).
CREATE TABLE IF NOT EXISTS dim_source (
    source_key   VARCHAR PRIMARY KEY,
    source_id    VARCHAR NOT NULL UNIQUE,
    source_name  VARCHAR NOT NULL,
    region       VARCHAR NOT NULL,
    start_urls   VARCHAR[],
    _load_id     VARCHAR NOT NULL
);
