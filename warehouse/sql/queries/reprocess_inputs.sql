-- reprocess_inputs: one row per loaded document, with the raw-zone keys of its page and of the
-- file its text was read from, so it can be read again offline.
SELECT
    d.url,
    d.source_id,
    coalesce(s.region, d.region)  AS source_region,
    d.content_url,
    d.sha256                                AS content_sha256,
    c.sha256                                AS page_sha256,
    c.content_type,
    c.listing_title,
    c.listing_date,
    d.fetched_at
FROM dim_document d
JOIN crawl_state c
  ON c.source_id = d.source_id AND c.url_key = d.url_key AND c.role = 'detail' AND c.status = 'ok'
LEFT JOIN dim_source s ON s.source_id = d.source_id
ORDER BY d.source_id, d.url
