-- The warehouse's documents as the search index tracks them: a document row is only ever
-- written whole, by one load (its _load_id), so key and load id say whether the passages the
-- index holds were cut from the row the warehouse holds now. rowid fetches a few rows' text,
-- text_chars says how many fit in memory at once.
SELECT rowid AS row_id, document_key, _load_id AS load_id, text_chars
FROM dim_document
ORDER BY rowid
