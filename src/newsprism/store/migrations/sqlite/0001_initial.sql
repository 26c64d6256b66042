-- newsprism store, SQLite: the first schema.
-- Times are text in one UTC format (see store/codec.py) so text order is time order.

CREATE TABLE articles (
    seq        INTEGER PRIMARY KEY,            -- rowid, the full-text index's key
    id         TEXT NOT NULL UNIQUE,
    url_key    TEXT NOT NULL,                  -- normalise_url(url), '' without URL
    revision   INTEGER NOT NULL CHECK (revision >= 1),
    previous   TEXT REFERENCES articles (id),
    origin     TEXT NOT NULL,
    kind       TEXT NOT NULL,
    text       TEXT NOT NULL,
    paragraphs TEXT NOT NULL,                  -- JSON [[start, end], ...]
    title      TEXT,
    outlet     TEXT,
    published  TEXT,
    byline     TEXT,
    dateline   TEXT,
    url        TEXT,
    dropped    TEXT NOT NULL,                  -- JSON [{"text", "reason"}, ...]
    added_at   TEXT NOT NULL
);
CREATE UNIQUE INDEX articles_url_revision ON articles (url_key, revision) WHERE url_key <> '';
CREATE INDEX articles_published ON articles (published, id);
CREATE INDEX articles_outlet ON articles (lower(outlet));

-- External-content FTS5 index over title + text. FTS5 costs about 1 ms per commit to flush a
-- new segment, so articles are not indexed one commit at a time: the article's own transaction
-- puts it in fts_pending (atomically with the row), and the store indexes the queue in batches
-- and always before a search. Every article is therefore either indexed or queued, never lost.
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, text,
    content = 'articles', content_rowid = 'seq',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TABLE fts_pending (seq INTEGER PRIMARY KEY);
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO fts_pending (seq) VALUES (new.seq);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text)
    SELECT 'delete', old.seq, old.title, old.text
    WHERE NOT EXISTS (SELECT 1 FROM fts_pending WHERE seq = old.seq);
    DELETE FROM fts_pending WHERE seq = old.seq;
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text)
    SELECT 'delete', old.seq, old.title, old.text
    WHERE NOT EXISTS (SELECT 1 FROM fts_pending WHERE seq = old.seq);
    INSERT OR IGNORE INTO fts_pending (seq) VALUES (new.seq);
END;

CREATE TABLE analyses (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    version    TEXT NOT NULL,
    payload    BLOB NOT NULL,
    PRIMARY KEY (article_id, version)
) WITHOUT ROWID;

-- published is copied from the article (which never changes) so that a time window is one
-- index range scan.
CREATE TABLE sketches (
    kind       TEXT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    published  TEXT,
    payload    BLOB NOT NULL,
    PRIMARY KEY (kind, article_id)
);
CREATE INDEX sketches_published ON sketches (kind, published, article_id);

CREATE TABLE copies (
    article    TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    original   TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('full', 'partial')),
    similarity REAL NOT NULL,
    paragraphs TEXT NOT NULL                    -- JSON [index, ...]
);
CREATE INDEX copies_original ON copies (original);

-- first/last_published, outlets, origins and n_articles are derived from the members and kept
-- up to date by the store, so listing and ordering stories needs no aggregate over articles.
CREATE TABLE stories (
    id              TEXT PRIMARY KEY,
    title           TEXT NOT NULL,
    n_articles      INTEGER NOT NULL DEFAULT 0,
    first_published TEXT,
    last_published  TEXT,
    outlets         TEXT NOT NULL DEFAULT '[]',  -- JSON, sorted
    origins         INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX stories_newest ON stories (last_published DESC, id);
CREATE INDEX stories_biggest ON stories (n_articles DESC, last_published DESC, id);

CREATE TABLE story_articles (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    story_id   TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL
);
CREATE INDEX story_articles_story ON story_articles (story_id, position);

-- No foreign key on story_id: events outlive a story deleted after a merge.
CREATE TABLE story_events (
    seq      INTEGER PRIMARY KEY,
    story_id TEXT NOT NULL,
    kind     TEXT NOT NULL,
    at       TEXT NOT NULL,
    article  TEXT,
    other    TEXT,
    detail   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX story_events_story ON story_events (story_id, at, seq);

CREATE TABLE entities (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    key        TEXT NOT NULL,                   -- entity_key(name)
    label      TEXT NOT NULL,
    name       TEXT NOT NULL,
    PRIMARY KEY (article_id, key, label)
) WITHOUT ROWID;
CREATE INDEX entities_key ON entities (key, article_id);

CREATE TABLE briefs (
    story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    at       TEXT NOT NULL,
    brief    TEXT NOT NULL,
    PRIMARY KEY (story_id, at)
) WITHOUT ROWID;

CREATE TABLE sources (
    origin      TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('done', 'failed')),
    detail      TEXT NOT NULL DEFAULT '',
    at          TEXT NOT NULL,
    PRIMARY KEY (origin, fingerprint)
) WITHOUT ROWID;
CREATE INDEX sources_status ON sources (status, at);

CREATE TABLE rejections (
    seq    INTEGER PRIMARY KEY,
    origin TEXT NOT NULL,
    reason TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    at     TEXT NOT NULL
);
CREATE INDEX rejections_reason ON rejections (reason);
