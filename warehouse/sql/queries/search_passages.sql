-- The search index's passages from a batch of documents (registered as _docs: document_key,
-- title, url, doc_text): one per non-empty line, keyed by document and line number, with the
-- tokens the index is built on: character bigrams of each run of Han characters (a lone
-- character as itself), and runs of Latin letters and digits lower-cased, outer dots trimmed.
-- warehouse/search.py cuts a query into tokens the same way (bigrams()).
INSERT INTO passages
SELECT
    document_key || ':' || CAST(line_no - 1 AS VARCHAR) AS passage_key,
    document_key,
    title,
    url,
    passage,
    array_to_string(list_filter(flatten(list_transform(
        regexp_extract_all(passage, '[\x{4e00}-\x{9fff}]+|[A-Za-z0-9.]+'),
        run -> CASE
            WHEN regexp_matches(run, '^[A-Za-z0-9.]') THEN [trim(lower(run), '.')]
            WHEN length(run) = 1 THEN [run]
            ELSE list_transform(range(length(run) - 1), i -> substr(run, i + 1, 2))
        END
    )), token -> token <> ''), ' ') AS tokens
FROM (
    SELECT
        document_key,
        title,
        url,
        unnest(lines) AS passage,
        generate_subscripts(lines, 1) AS line_no
    FROM (SELECT *, string_split(doc_text, chr(10)) AS lines FROM _docs)
)
WHERE trim(passage) <> ''
