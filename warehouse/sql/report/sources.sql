-- report: each source's health: documents and facts loaded, report URLs failing now, the last
-- report fetched and the newest report published.
SELECT s.source_id, s.source_name, s.region,
       count(DISTINCT d.document_key) AS documents,
       coalesce(sum(d.fact_count), 0) AS facts,
       (SELECT count(*) FROM crawl_state c
         WHERE c.source_id = s.source_id AND c.status = 'failed' AND c.role <> 'walk') AS failing,
       strftime(max(d.fetched_at), '%Y-%m-%d %H:%M') AS last_fetched,
       max(d.publish_date)::VARCHAR AS newest_report
FROM dim_source s
LEFT JOIN dim_document d USING (source_id)
GROUP BY ALL
ORDER BY s.source_id
