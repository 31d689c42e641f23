-- dim_document: one row per published report (a detail page, or a file linked directly).
-- Natural key: source_id + url_key (the URL's path and query, see warehouse/keys.py).
-- document_key = md5(source_id, url_key). Replaced whole when the page changes.
-- document_key is unique without a PRIMARY KEY index: a document is replaced whole (delete by
-- key, then insert, in one transaction) and the quality gate checks it
-- (checks/documents_key_unique.sql). With the index, each checkpoint after a load rewrote the
-- whole table, every report's text included (0.7-0.9 s and +200 MB at 20,000 reports, for 50
-- new ones); without it a checkpoint writes the new rows, and merges small row groups now
-- and then.
CREATE TABLE IF NOT EXISTS dim_document (
    document_key       VARCHAR NOT NULL,
    source_id          VARCHAR NOT NULL,
    url_key            VARCHAR NOT NULL,
    url                VARCHAR NOT NULL,   -- the URL as last fetched
    title              VARCHAR,
    report_type        VARCHAR NOT NULL,
    publish_date       DATE,
    report_year        INTEGER,
    region_key         VARCHAR,
    region             VARCHAR,
    publisher          VARCHAR,
    content_url        VARCHAR NOT NULL,   -- where the text was read from (the page or its attachment)
    sha256             VARCHAR NOT NULL,   -- of the raw bytes the text was read from (raw zone key)
    text_chars         INTEGER NOT NULL,
    fact_count         INTEGER NOT NULL,
    extractor_version  VARCHAR NOT NULL,
    fetched_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    doc_text           VARCHAR NOT NULL,   -- normalised text; facts' char offsets point into it
    _load_id           VARCHAR NOT NULL
);
