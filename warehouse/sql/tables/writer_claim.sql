-- writer_claim: one row, no meaning of its own. A transaction that adds rows other writers may
-- add too (shared dimensions, the schema) updates it first. DuckLake has no unique constraints,
-- so two runs inserting the same region would both succeed; with this row updated by both, the
-- second commit conflicts, is rolled back and redone, and then sees the first one's rows.
CREATE TABLE IF NOT EXISTS writer_claim (
    claims  BIGINT NOT NULL
);
INSERT INTO writer_claim SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM writer_claim);
