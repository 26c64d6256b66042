-- Issue 17, the reader's workflow (see the SQLite migration for what each table is for).
CREATE TABLE copy_keys (
    band       INTEGER NOT NULL,
    key        BIGINT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (band, key, article_id)
);
CREATE INDEX copy_keys_article ON copy_keys (article_id);

CREATE TABLE story_marks (
    story_id  TEXT PRIMARY KEY REFERENCES stories (id) ON DELETE CASCADE,
    members   TEXT NOT NULL,
    articles  INTEGER NOT NULL,
    conflicts INTEGER NOT NULL,
    possible  INTEGER NOT NULL,
    updates   INTEGER NOT NULL,
    at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX story_marks_conflicts ON story_marks (conflicts, updates);

CREATE TABLE alerts (
    seq      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key      TEXT NOT NULL UNIQUE,
    kind     TEXT NOT NULL,
    story_id TEXT NOT NULL,
    at       TIMESTAMPTZ NOT NULL,
    title    TEXT NOT NULL,
    summary  TEXT NOT NULL,
    payload  TEXT NOT NULL
);
CREATE INDEX alerts_story ON alerts (story_id, seq);

CREATE TABLE cursors (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);

CREATE TABLE comparisons (
    id      TEXT PRIMARY KEY,
    at      TIMESTAMPTZ NOT NULL,
    expires TIMESTAMPTZ NOT NULL,
    title   TEXT NOT NULL,
    page    TEXT NOT NULL,
    brief   TEXT NOT NULL
);
CREATE INDEX comparisons_expires ON comparisons (expires);
