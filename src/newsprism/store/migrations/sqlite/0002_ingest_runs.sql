-- Resuming an interrupted ingest exactly (see corpus/ingest.py): the run's starting state and
-- the number of articles each finished source gave, so a resumed run cuts its sort windows
-- where the interrupted one did.
CREATE TABLE ingest_runs (
    id           INTEGER PRIMARY KEY,
    events_after INTEGER NOT NULL,     -- story_events.seq when the run started
    base         BLOB NOT NULL,        -- the articles the run restored, with their stories
    started_at   TEXT NOT NULL
);
ALTER TABLE sources ADD COLUMN articles INTEGER NOT NULL DEFAULT 0;
