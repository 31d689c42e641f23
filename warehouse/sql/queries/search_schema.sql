-- The search index (parquet/search.duckdb), kept up to date document by document rather than
-- rebuilt: one row per passage (a non-empty line of a report), one posting per occurrence of a
-- term in a passage, and which load of each document the passages were cut from. Postings are
-- written in term order, a night's block at a time, so that a query reads the row groups that
-- hold its terms (DuckDB skips the others by their min/max), not all of them.
-- warehouse/search.py scores queries over it with BM25 (sql/queries/search_query.sql).
CREATE TABLE index_meta (
    format            INTEGER NOT NULL, -- warehouse/search.py INDEX_FORMAT: another is rebuilt
    changed_postings  BIGINT NOT NULL,  -- postings deleted or added since the index was built
                                        -- whole (past a share of it, it is built whole again)
    engine            VARCHAR NOT NULL  -- the DuckDB version that built it: term_code hashes
                                        -- Latin terms with DuckDB's hash(), which a version may
                                        -- change, so another version rebuilds the index
);
-- A term (as warehouse/search.py query_terms() cuts it) as the number postings hold: sorting and
-- storing numbers costs a little over half what strings did (600 reports: 0.71 s against 1.13 s
-- to cut and sort, a 5 MB file against 10 MB). A Han character is its code point, a pair of them
-- the first's code point * 2^21 + the second's (below 2^37), a run of Latin letters and digits
-- the 64-bit hash of its lower case with the top bit set (no pair or character reaches it; two
-- Latin terms share a number about once in 2^63). sql/queries/search_passages.sql cuts
-- passages into the same numbers in a faster form; tests/warehouse/test_search.py holds the two
-- to each other.
CREATE MACRO term_code(term) AS CASE
    WHEN ascii(term) < 128 THEN hash(lower(term)) | 9223372036854775808::UBIGINT
    WHEN length(term) = 1 THEN unicode(term)::UBIGINT
    ELSE unicode(term[1])::UBIGINT * 2097152 + unicode(term[2])
END;
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
    term        UBIGINT NOT NULL,  -- term_code(term)
    passage_id  BIGINT NOT NULL
);
CREATE TABLE indexed_documents (
    document_key  VARCHAR NOT NULL,
    load_id       VARCHAR NOT NULL  -- dim_document._load_id of the row the passages came from
);
