-- Articles with their authors, tags, requested links and revisions.
-- Times are UTC text in one fixed-width format, so they sort as text.

CREATE TABLE authors (
    id   INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    bio  TEXT NOT NULL DEFAULT ''
);

CREATE TABLE tags (
    id   INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

CREATE TABLE articles (
    id              INTEGER PRIMARY KEY,
    slug            TEXT NOT NULL UNIQUE,
    title           TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    body            TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('draft', 'scheduled', 'published')),
    published_at    TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    author_id       INTEGER REFERENCES authors (id) ON DELETE SET NULL,
    word_count      INTEGER NOT NULL DEFAULT 0,
    reading_minutes INTEGER NOT NULL DEFAULT 1,
    source          TEXT,
    source_hash     TEXT NOT NULL DEFAULT '',
    version         INTEGER NOT NULL DEFAULT 1
);

CREATE UNIQUE INDEX articles_source ON articles (source);
CREATE INDEX articles_status_published ON articles (status, published_at DESC);
CREATE INDEX articles_author ON articles (author_id, published_at DESC);

CREATE TABLE article_tags (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag_id     INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    PRIMARY KEY (article_id, tag_id)
);

CREATE INDEX article_tags_tag ON article_tags (tag_id);

CREATE TABLE article_requested_links (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    title      TEXT NOT NULL,
    PRIMARY KEY (article_id, position)
);

-- A revision is a whole earlier version; tags and requested links are kept
-- as JSON arrays because a revision is only ever read back whole.
CREATE TABLE revisions (
    article_id      INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    number          INTEGER NOT NULL,
    title           TEXT NOT NULL,
    slug            TEXT NOT NULL,
    description     TEXT NOT NULL,
    body            TEXT NOT NULL,
    status          TEXT NOT NULL,
    published_at    TEXT,
    tags            TEXT NOT NULL,
    requested_links TEXT NOT NULL,
    saved_at        TEXT NOT NULL,
    note            TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (article_id, number)
);
