-- Issue 17, the reader's workflow.

-- The band keys of every article's wire-copy signature (the document index of dedup/copies.py),
-- so a copy of an article outside the window an ingest restores into memory is still found: the
-- keys are looked up here and the matching articles' signatures loaded to verify the match.
-- key is the band's 64-bit key as a signed integer.
CREATE TABLE copy_keys (
    band       INTEGER NOT NULL,
    key        INTEGER NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (band, key, article_id)
) WITHOUT ROWID;
CREATE INDEX copy_keys_article ON copy_keys (article_id);

-- What the latest brief of a story found, for the story list (counts, filter, sort). members is
-- a hash of the member ids the brief was made of: a story that changed since shows the counts
-- as of its last brief, marked so.
CREATE TABLE story_marks (
    story_id  TEXT PRIMARY KEY REFERENCES stories (id) ON DELETE CASCADE,
    members   TEXT NOT NULL,
    articles  INTEGER NOT NULL,
    conflicts INTEGER NOT NULL,        -- confirmed conflicts
    possible  INTEGER NOT NULL,        -- possible conflicts
    updates   INTEGER NOT NULL,
    at        TEXT NOT NULL
);
CREATE INDEX story_marks_conflicts ON story_marks (conflicts, updates);

-- Alerts of `newsprism watch`. key names what the alert is about, so the same news never alerts
-- twice (a restart redoes the work it had not finished, and the key makes that a no-op). No
-- foreign key on story_id: an alert outlives a story merged away.
CREATE TABLE alerts (
    seq      INTEGER PRIMARY KEY,
    key      TEXT NOT NULL UNIQUE,
    kind     TEXT NOT NULL,
    story_id TEXT NOT NULL,
    at       TEXT NOT NULL,
    title    TEXT NOT NULL,
    summary  TEXT NOT NULL,
    payload  TEXT NOT NULL             -- JSON
);
CREATE INDEX alerts_story ON alerts (story_id, seq);

-- Named positions that must survive a restart: the story events watch has handled, the alerts
-- each delivery target (log, webhook) has taken.
CREATE TABLE cursors (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;

-- Comparisons of pasted articles (the web app's compare page), kept for a while so a result
-- has an address that can be shared: the rendered page and the brief's JSON, not the articles.
CREATE TABLE comparisons (
    id      TEXT PRIMARY KEY,
    at      TEXT NOT NULL,
    expires TEXT NOT NULL,
    title   TEXT NOT NULL,
    page    TEXT NOT NULL,
    brief   TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX comparisons_expires ON comparisons (expires);
