-- The postings cut in this update (_new_postings, sql/queries/search_passages.sql) written to the
-- index as one block in term order, and counted as changed unless the index is being built whole
-- ($whole: its postings are then all in one sorted block).
INSERT INTO postings SELECT term, passage_id FROM _new_postings ORDER BY term;

UPDATE index_meta SET changed_postings = CASE
    WHEN $whole THEN 0
    ELSE changed_postings + (SELECT count(*) FROM _new_postings)
END;
