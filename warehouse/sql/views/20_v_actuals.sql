-- v_actuals: one row per reported result (actual) or year-end estimate, with its document.
CREATE OR REPLACE VIEW v_actuals AS
SELECT * FROM v_indicator_values WHERE kind IN ('actual', 'estimate');
