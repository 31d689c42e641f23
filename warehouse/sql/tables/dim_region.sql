-- dim_region: one row per government or zone a report or a fact is about.
-- Natural key: region. region_key = md5(region).
CREATE TABLE IF NOT EXISTS dim_region (
    region_key   VARCHAR PRIMARY KEY,
    region       VARCHAR NOT NULL UNIQUE,
    region_level VARCHAR NOT NULL,      -- province | city | district | county | zone | unknown
    gb2260_code  VARCHAR,               -- GB/T 2260 code where one exists (none for zones)
    kind         VARCHAR,               -- government | zone (development zones, 高新区)
    parent_name  VARCHAR,               -- the enclosing government named in the name (新乡市 for 新乡市红旗区)
    _load_id     VARCHAR NOT NULL
);
