-- A batch of documents (registered as _docs: document_key, title, url, doc_text, load_id) cut
-- into the search index: one passage per non-empty line, keyed by document and line number,
-- and its terms: character bigrams of each run of Han characters (a lone character as itself)
-- and runs of Latin letters and digits, lower-cased (a dot separates runs: 8.5 is 8 and 5);
-- a posting per occurrence of a term in a passage.
-- warehouse/search.py cuts a query into terms the same way (query_terms()).
CREATE OR REPLACE TEMP TABLE _cut AS
SELECT
    nextval('passage_ids') AS passage_id,
    document_key || ':' || CAST(line_no - 1 AS VARCHAR) AS passage_key,
    document_key,
    title,
    url,
    passage,
    regexp_extract_all(passage, '[\x{4e00}-\x{9fff}]+|[A-Za-z0-9]+') AS runs
FROM (
    SELECT
        document_key,
        title,
        url,
        unnest(lines) AS passage,
        generate_subscripts(lines, 1) AS line_no
    FROM (SELECT *, string_split(doc_text, chr(10)) AS lines FROM _docs)
)
WHERE trim(passage) <> '';

-- a run of Latin letters and digits is one term, a run of n Han characters n - 1 (one if n = 1)
INSERT INTO passages
SELECT
    passage_id, passage_key, document_key, title, url, passage,
    coalesce(list_sum(list_transform(
        runs, run -> CASE WHEN ascii(run) < 128 THEN 1 ELSE greatest(length(run) - 1, 1) END
    )), 0)
FROM _cut;

-- runs first, then each run's terms (faster than one list of terms per passage), as the numbers
-- term_code (sql/queries/search_schema.sql) gives them: a run of Han characters as its code
-- points once, then each neighbouring pair's number from them (faster than term_code on each
-- pair's two-character string)
INSERT INTO _new_postings
SELECT
    unnest(CASE
        WHEN ascii(run) < 128 THEN [hash(lower(run)) | 9223372036854775808::UBIGINT]
        WHEN length(run) = 1 THEN [unicode(run)::UBIGINT]
        ELSE (
            SELECT list_transform(range(len(cp) - 1), i -> cp[i + 1] * 2097152 + cp[i + 2])
            FROM (SELECT list_transform(string_split(run, ''), c -> unicode(c)::UBIGINT) AS cp)
        )
    END),
    passage_id
FROM (SELECT passage_id, unnest(runs) AS run FROM _cut);

INSERT INTO indexed_documents SELECT document_key, load_id FROM _docs;
