-- The passages and postings of the documents in _stale (sql/queries/search_changes.sql) deleted,
-- and the count of deleted postings kept, so that a much-rewritten index is rebuilt whole.
CREATE OR REPLACE TEMP TABLE _gone AS
SELECT passage_id FROM passages SEMI JOIN _stale USING (document_key);

UPDATE index_meta SET changed_postings = changed_postings
    + (SELECT count(*) FROM postings WHERE passage_id IN (SELECT passage_id FROM _gone));
DELETE FROM postings WHERE passage_id IN (SELECT passage_id FROM _gone);
DELETE FROM passages WHERE passage_id IN (SELECT passage_id FROM _gone);
DELETE FROM indexed_documents WHERE document_key IN (SELECT document_key FROM _stale);
