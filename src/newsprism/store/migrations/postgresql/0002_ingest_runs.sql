-- Resuming an interrupted ingest exactly (see corpus/ingest.py): the run's starting state and
-- the number of articles each finished source gave, so a resumed run cuts its sort windows
-- where the interrupted one did.
CREATE TABLE ingest_runs (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    events_after BIGINT NOT NULL,      -- story_events.seq when the run started
    base         BYTEA NOT NULL,       -- the articles the run restored, with their stories
    started_at   TIMESTAMPTZ NOT NULL
);
ALTER TABLE sources ADD COLUMN articles INTEGER NOT NULL DEFAULT 0;
