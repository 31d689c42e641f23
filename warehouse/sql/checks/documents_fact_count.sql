-- check: at most 500 facts per document | severity: warn
SELECT document_key, url, fact_count FROM dim_document WHERE fact_count > 500
