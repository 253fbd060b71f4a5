-- Articles with their authors, tags, requested links and revisions.
-- Times are TIMESTAMPTZ (microsecond precision); the store writes them in UTC.

CREATE TABLE authors (
    id   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    bio  TEXT NOT NULL DEFAULT '',
    CONSTRAINT authors_slug_key UNIQUE (slug)
);

CREATE TABLE tags (
    id   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    CONSTRAINT tags_slug_key UNIQUE (slug)
);

-- The store turns violations of articles_slug_key and articles_source into
-- store.ErrConflict by these names.
CREATE TABLE articles (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug            TEXT NOT NULL,
    title           TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    body            TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('draft', 'scheduled', 'published')),
    published_at    TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    author_id       BIGINT REFERENCES authors (id) ON DELETE SET NULL,
    word_count      INTEGER NOT NULL DEFAULT 0,
    reading_minutes INTEGER NOT NULL DEFAULT 1,
    source          TEXT,
    source_hash     TEXT NOT NULL DEFAULT '',
    version         INTEGER NOT NULL DEFAULT 1,
    CONSTRAINT articles_slug_key UNIQUE (slug)
);

-- Articles written in Dateline have a NULL source; NULLs never clash.
CREATE UNIQUE INDEX articles_source ON articles (source);
CREATE INDEX articles_status_published ON articles (status, published_at DESC);
CREATE INDEX articles_author ON articles (author_id, published_at DESC);

CREATE TABLE article_tags (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag_id     BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    PRIMARY KEY (article_id, tag_id)
);

CREATE INDEX article_tags_tag ON article_tags (tag_id);

CREATE TABLE article_requested_links (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    title      TEXT NOT NULL,
    PRIMARY KEY (article_id, position)
);

-- A revision is a whole earlier version; tags and requested links are kept
-- as JSON arrays because a revision is only ever read back whole.
CREATE TABLE revisions (
    article_id      BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    number          INTEGER NOT NULL,
    title           TEXT NOT NULL,
    slug            TEXT NOT NULL,
    description     TEXT NOT NULL,
    body            TEXT NOT NULL,
    status          TEXT NOT NULL,
    published_at    TIMESTAMPTZ,
    tags            JSONB NOT NULL,
    requested_links JSONB NOT NULL,
    saved_at        TIMESTAMPTZ NOT NULL,
    note            TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (article_id, number)
);
