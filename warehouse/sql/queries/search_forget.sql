-- The passages and postings of the documents in _stale and _gone (sql/queries/search_changes.sql)
-- deleted, and their postings ($postings, counted by warehouse/search.py) added to the changed
-- count, so that a much-rewritten index is rebuilt whole.
DELETE FROM postings WHERE passage_id IN (SELECT passage_id FROM _gone);
DELETE FROM passages WHERE passage_id IN (SELECT passage_id FROM _gone);
DELETE FROM indexed_documents WHERE document_key IN (SELECT document_key FROM _stale);
UPDATE index_meta SET changed_postings = changed_postings + $postings;
