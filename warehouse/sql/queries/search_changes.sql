-- What the index must forget and what it must cut, given the warehouse's documents (registered
-- as _current: row_id, document_key, load_id, text_chars): documents gone or rewritten since
-- they were indexed (_stale) and their passages (_gone), and documents new or rewritten (_fresh,
-- in the warehouse's row order).
CREATE OR REPLACE TEMP TABLE _stale AS
SELECT i.document_key
FROM indexed_documents AS i
ANTI JOIN _current AS c ON c.document_key = i.document_key AND c.load_id = i.load_id;

CREATE OR REPLACE TEMP TABLE _gone AS
SELECT passage_id FROM passages SEMI JOIN _stale USING (document_key);

CREATE OR REPLACE TEMP TABLE _fresh AS
SELECT c.row_id, c.document_key, c.load_id, c.text_chars
FROM _current AS c
ANTI JOIN indexed_documents AS i ON i.document_key = c.document_key AND i.load_id = c.load_id
ORDER BY c.row_id;

-- the postings of the documents cut in this update, written to the index in term order at the
-- end (sql/queries/search_append.sql)
CREATE OR REPLACE TEMP TABLE _new_postings (term UBIGINT NOT NULL, passage_id BIGINT NOT NULL);
