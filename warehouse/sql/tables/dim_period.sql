-- dim_period: one row per calendar year a fact can refer to (facts join on year), with the
-- five-year plan period it belongs to (十三五 = 2016-2020, 十四五 = 2021-2025, ...).
CREATE TABLE IF NOT EXISTS dim_period (
    year              INTEGER PRIMARY KEY,
    five_year_plan    VARCHAR,   -- 十一五 .. 十六五
    plan_first_year   INTEGER,
    plan_last_year    INTEGER,
    year_in_plan      INTEGER    -- 1..5
);
INSERT INTO dim_period
SELECT y,
       ['十一五', '十二五', '十三五', '十四五', '十五五', '十六五'][((y - 2006) // 5) + 1],
       2006 + ((y - 2006) // 5) * 5,
       2010 + ((y - 2006) // 5) * 5,
       ((y - 2006) % 5) + 1
FROM range(2006, 2036) t(y)
WHERE y NOT IN (SELECT year FROM dim_period);
