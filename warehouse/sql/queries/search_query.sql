-- The passages best matching a query ($terms: its terms as warehouse/search.py cuts them, each
-- as its number, term_code in sql/queries/search_schema.sql: numbers given as constants, not
-- term_code() here, so that the scan of postings skips the row groups without them),
-- scored with Okapi BM25 (k1 = 1.2, b = 0.75, idf = log10((N - df + 0.5) / (df + 0.5) + 1)):
-- the scores DuckDB's fts extension gives for the same passages and terms.
WITH query AS (
    SELECT DISTINCT unnest($terms::UBIGINT[]) AS term
),
stats AS (
    SELECT count(*) AS n, avg(len) AS avgdl FROM passages
),
hits AS (
    SELECT term, passage_id, count(*) AS tf FROM postings SEMI JOIN query USING (term)
    GROUP BY term, passage_id
),
df AS (
    SELECT term, count(*) AS df FROM hits GROUP BY term
),
scores AS (
    SELECT
        h.passage_id,
        sum(
            log10((s.n - d.df + 0.5) / (d.df + 0.5) + 1)
            * (h.tf * (1.2 + 1)) / (h.tf + 1.2 * (1 - 0.75 + 0.75 * (p.len / s.avgdl)))
        ) AS score
    FROM hits AS h
    JOIN df AS d USING (term)
    JOIN passages AS p USING (passage_id)
    CROSS JOIN stats AS s
    GROUP BY h.passage_id
)
SELECT p.title, p.url, p.passage, sc.score
FROM scores AS sc
JOIN passages AS p USING (passage_id)
ORDER BY sc.score DESC, p.passage_key
LIMIT $limit
