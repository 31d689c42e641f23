-- check: every fact's document is in dim_document | severity: error
SELECT f.fact_key, f.document_key FROM fct_indicator_value f
LEFT JOIN dim_document d USING (document_key) WHERE d.document_key IS NULL
