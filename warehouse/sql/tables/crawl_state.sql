-- crawl_state: one row per URL the crawler has tried (detail pages and attachments).
-- A failed URL keeps its reason and is retried by the next run; an ok one is not fetched again.
CREATE TABLE IF NOT EXISTS crawl_state (
    url            VARCHAR PRIMARY KEY,
    source_id      VARCHAR NOT NULL,
    role           VARCHAR NOT NULL,      -- detail | attachment
    listing_title  VARCHAR,
    listing_date   DATE,
    status         VARCHAR NOT NULL,      -- ok | failed | skipped
    http_status    INTEGER,
    error          VARCHAR,
    attempts       INTEGER NOT NULL,
    etag           VARCHAR,
    last_modified  VARCHAR,
    sha256         VARCHAR,
    content_type   VARCHAR,
    first_seen     TIMESTAMP WITH TIME ZONE NOT NULL,
    last_attempt   TIMESTAMP WITH TIME ZONE NOT NULL
);
