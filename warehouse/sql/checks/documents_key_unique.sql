-- check: no two documents share a key (the document table keeps keys unique by its loader) | severity: error
SELECT document_key, count(*) AS copies FROM dim_document GROUP BY document_key HAVING count(*) > 1
