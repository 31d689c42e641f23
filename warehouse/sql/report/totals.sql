-- report: the headline counts and the load the published data reflects.
SELECT (SELECT count(*) FROM dim_document) AS documents,
       (SELECT count(*) FROM fct_indicator_value) AS facts,
       (SELECT count(DISTINCT region) FROM fct_indicator_value) AS regions,
       (SELECT count(*) FROM dim_source) AS sources,
       (SELECT strftime(max(finished_at), '%Y-%m-%d %H:%M') FROM load_audit
         WHERE finished_at IS NOT NULL) AS last_load
