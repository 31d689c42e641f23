-- crawl_state: one row per source and URL the crawler has tried (detail pages and attachments).
-- Natural key: source_id + url_key (path and query). crawl_key = md5(source_id, url_key).
-- A failed URL keeps its reason and is retried by the next run; an ok one is not fetched again.
CREATE TABLE IF NOT EXISTS crawl_state (
    crawl_key      VARCHAR PRIMARY KEY,
    source_id      VARCHAR NOT NULL,
    url_key        VARCHAR NOT NULL,
    url            VARCHAR NOT NULL,      -- the URL as last fetched
    role           VARCHAR NOT NULL,      -- detail | attachment | page (an article's further pages) | walk (how a source's last walk stands: url govreports:walk, govreports:deep-walk)
    listing_title  VARCHAR,
    listing_date   DATE,
    status         VARCHAR NOT NULL,      -- ok | failed | skipped; a walk: started | ok | failed | deferred
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
