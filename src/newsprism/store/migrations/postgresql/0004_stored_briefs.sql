-- The current brief of each story, built ahead of a reader (after an ingest, by the worker that
-- `serve` starts), so the story page serves it instead of building it while the reader waits.
-- `articles_key` names the member articles and `version` the analysis and brief formats it was
-- built from: a brief whose key or version no longer matches the story is stale and rebuilt.
CREATE TABLE stored_briefs (
    story_id     TEXT PRIMARY KEY REFERENCES stories (id) ON DELETE CASCADE,
    articles_key TEXT NOT NULL,
    version      TEXT NOT NULL,
    at           TIMESTAMPTZ NOT NULL,
    brief        TEXT NOT NULL,  -- the brief as JSON (the schema of `newsprism brief -f json`)
    page         TEXT NOT NULL   -- the story page as HTML
);
