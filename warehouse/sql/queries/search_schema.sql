-- The search index (parquet/search.duckdb), kept up to date document by document rather than
-- rebuilt: one row per passage (a non-empty line of a report), one posting per occurrence of a
-- term in a passage, and which load of each document the passages were cut from. Postings are
-- written in term order, a night's block at a time, so that a query reads the row groups that
-- hold its terms (DuckDB skips the others by their min/max), not all of them.
-- warehouse/search.py scores queries over it with BM25 (sql/queries/search_query.sql).
CREATE TABLE index_meta (
    format            INTEGER NOT NULL, -- warehouse/search.py INDEX_FORMAT: another is rebuilt
    changed_postings  BIGINT NOT NULL   -- postings deleted or added since the index was built
                                        -- whole (past a share of it, it is built whole again)
);
CREATE SEQUENCE passage_ids START 1;
CREATE TABLE passages (
    passage_id    BIGINT NOT NULL,
    passage_key   VARCHAR NOT NULL, -- document_key:line number (from 0)
    document_key  VARCHAR NOT NULL,
    title         VARCHAR,
    url           VARCHAR,
    passage       VARCHAR NOT NULL,
    len           INTEGER NOT NULL  -- the passage's terms, repeats counted (BM25's length)
);
CREATE TABLE postings (
    term        VARCHAR NOT NULL,
    passage_id  BIGINT NOT NULL
);
CREATE TABLE indexed_documents (
    document_key  VARCHAR NOT NULL,
    load_id       VARCHAR NOT NULL  -- dim_document._load_id of the row the passages came from
);
