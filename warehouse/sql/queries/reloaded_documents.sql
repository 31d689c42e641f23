-- How many documents of a batch (registered as _docs) were loaded before: only theirs are the
-- facts a load must delete first.
SELECT count(*) FROM dim_document WHERE document_key IN (SELECT document_key FROM _docs)
