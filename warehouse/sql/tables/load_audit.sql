-- load_audit: one row per run of the pipeline (a load), with what it did.
CREATE TABLE IF NOT EXISTS load_audit (
    load_id            VARCHAR PRIMARY KEY,
    flow_run_id        VARCHAR,
    started_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at        TIMESTAMP WITH TIME ZONE,
    status             VARCHAR NOT NULL,   -- running | completed | completed_with_failures | failed_quality | interrupted (killed; noticed by the next run)
    sources            INTEGER,
    listed             INTEGER,
    fetched            INTEGER,
    failed             INTEGER,
    documents_loaded   INTEGER,
    facts_loaded       INTEGER,
    extractor_version  VARCHAR NOT NULL,
    code_version       VARCHAR,            -- version of the govreports package that ran
    summary_json       VARCHAR
);
