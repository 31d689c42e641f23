-- bench/search_index.py's reference: the passages of the index (attached as idx) with their
-- terms as one string, as DuckDB's fts extension indexes them (the way the search index was
-- built before it was kept document by document).
CREATE OR REPLACE TABLE ref_passages AS
SELECT
    passage_key,
    array_to_string(flatten(list_transform(
        regexp_extract_all(passage, '[\x{4e00}-\x{9fff}]+|[A-Za-z0-9]+'),
        run -> CASE
            WHEN regexp_matches(run, '^[A-Za-z0-9]') THEN [lower(run)]
            WHEN length(run) = 1 THEN [run]
            ELSE list_transform(range(length(run) - 1), i -> substr(run, i + 1, 2))
        END
    )), ' ') AS tokens
FROM idx.passages;

PRAGMA create_fts_index(
    'ref_passages', 'passage_key', 'tokens', stemmer = 'none', stopwords = 'none',
    ignore = '(\.|[^a-z0-9\x{4e00}-\x{9fff}])+', strip_accents = 0, lower = 1
);
