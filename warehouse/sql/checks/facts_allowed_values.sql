-- check: measure, qualifier, kind, unit and year_basis take only the values docs/facts.md allows | severity: error
SELECT fact_key, measure, qualifier, kind, unit, year_basis FROM fct_indicator_value
WHERE measure NOT IN ('growth_pct', 'level', 'share_pct', 'rate_pct', 'change_pp')
   OR qualifier NOT IN ('approx', 'at_least', 'at_most', 'range', 'stretch', 'exact')
   OR kind NOT IN ('target', 'actual', 'estimate')
   OR unit NOT IN ('CNY', 'USD', 'percent', 'pp', 'person', 'household', 'enterprise', 'project',
                   'item', 'm2', 'mu', 'km', 'kg', 'day', 'per_mille', 'ug_m3', 'kWh', 'kg_ce')
   OR (qualifier = 'range') <> (value_high IS NOT NULL)
   OR year_basis NOT IN ('sentence', 'heading', 'title', 'publish_date', 'plan_period', 'unknown')
   OR (year IS NULL) <> (year_basis = 'unknown')
