-- newsprism store, PostgreSQL: the first schema (same tables as SQLite's 0001).

CREATE TABLE articles (
    seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,
    url_key    TEXT NOT NULL,
    revision   INTEGER NOT NULL CHECK (revision >= 1),
    previous   TEXT REFERENCES articles (id),
    origin     TEXT NOT NULL,
    kind       TEXT NOT NULL,
    text       TEXT NOT NULL,
    paragraphs TEXT NOT NULL,
    title      TEXT,
    outlet     TEXT,
    published  TIMESTAMPTZ,
    byline     TEXT,
    dateline   TEXT,
    url        TEXT,
    dropped    TEXT NOT NULL,
    added_at   TIMESTAMPTZ NOT NULL,
    -- Generated, so the index can never disagree with the row: same transaction by definition.
    tsv        TSVECTOR GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(title, '')), 'A')
        || setweight(to_tsvector('english', text), 'B')
    ) STORED
);
CREATE UNIQUE INDEX articles_url_revision ON articles (url_key, revision) WHERE url_key <> '';
CREATE INDEX articles_published ON articles (published, id);
CREATE INDEX articles_outlet ON articles (lower(outlet));
CREATE INDEX articles_tsv ON articles USING GIN (tsv);

CREATE TABLE analyses (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    version    TEXT NOT NULL,
    payload    BYTEA NOT NULL,
    PRIMARY KEY (article_id, version)
);

CREATE TABLE sketches (
    kind       TEXT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    published  TIMESTAMPTZ,
    payload    BYTEA NOT NULL,
    PRIMARY KEY (kind, article_id)
);
CREATE INDEX sketches_published ON sketches (kind, published, article_id);

CREATE TABLE copies (
    article    TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    original   TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('full', 'partial')),
    similarity DOUBLE PRECISION NOT NULL,
    paragraphs TEXT NOT NULL
);
CREATE INDEX copies_original ON copies (original);

CREATE TABLE stories (
    id              TEXT PRIMARY KEY,
    title           TEXT NOT NULL,
    n_articles      INTEGER NOT NULL DEFAULT 0,
    first_published TIMESTAMPTZ,
    last_published  TIMESTAMPTZ,
    outlets         TEXT NOT NULL DEFAULT '[]',
    origins         INTEGER NOT NULL DEFAULT 0,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX stories_newest ON stories (last_published DESC NULLS LAST, id);
CREATE INDEX stories_biggest ON stories (n_articles DESC, last_published DESC NULLS LAST, id);

CREATE TABLE story_articles (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    story_id   TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL
);
CREATE INDEX story_articles_story ON story_articles (story_id, position);

CREATE TABLE story_events (
    seq      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    story_id TEXT NOT NULL,
    kind     TEXT NOT NULL,
    at       TIMESTAMPTZ NOT NULL,
    article  TEXT,
    other    TEXT,
    detail   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX story_events_story ON story_events (story_id, at, seq);

CREATE TABLE entities (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    key        TEXT NOT NULL,
    label      TEXT NOT NULL,
    name       TEXT NOT NULL,
    PRIMARY KEY (article_id, key, label)
);
CREATE INDEX entities_key ON entities (key, article_id);

CREATE TABLE briefs (
    story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    at       TIMESTAMPTZ NOT NULL,
    brief    TEXT NOT NULL,
    PRIMARY KEY (story_id, at)
);

CREATE TABLE sources (
    origin      TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('done', 'failed')),
    detail      TEXT NOT NULL DEFAULT '',
    at          TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (origin, fingerprint)
);
CREATE INDEX sources_status ON sources (status, at);

CREATE TABLE rejections (
    seq    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    origin TEXT NOT NULL,
    reason TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX rejections_reason ON rejections (reason);
