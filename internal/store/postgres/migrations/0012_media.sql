-- The photo library. An item is named by the SHA-256 of its uploaded
-- bytes (the same bytes uploaded twice are one item). On PostgreSQL its
-- files live in media_files too, so that every node serves every image
-- without a shared disk. variants lists the files made from it, as JSON.
-- An article may have a featured image and name others in its body
-- (article_media); an image an article uses cannot be deleted.

CREATE TABLE media (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    hash       TEXT NOT NULL,
    format     TEXT NOT NULL,
    width      INTEGER NOT NULL,
    height     INTEGER NOT NULL,
    size       BIGINT NOT NULL,
    filename   TEXT NOT NULL,
    alt        TEXT NOT NULL DEFAULT '',
    caption    TEXT NOT NULL DEFAULT '',
    credit     TEXT NOT NULL DEFAULT '',
    -- alt, caption, credit and file name folded in Go (lower case in every
    -- script), so that both backends find the same items
    search_key TEXT NOT NULL DEFAULT '',
    variants   TEXT NOT NULL DEFAULT '[]',
    state      TEXT NOT NULL DEFAULT 'pending',
    error      TEXT NOT NULL DEFAULT '',
    attempts   INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL,
    CONSTRAINT media_hash_key UNIQUE (hash)
);

CREATE INDEX media_created ON media (created_at, id);
CREATE INDEX media_state ON media (state) WHERE state <> 'ready';

ALTER TABLE articles ADD COLUMN featured_media_id BIGINT REFERENCES media (id);
CREATE INDEX articles_featured_media ON articles (featured_media_id) WHERE featured_media_id IS NOT NULL;

-- A revision keeps the featured image as every other field an edit can
-- change; without a foreign key, since a revision outlives the image.
ALTER TABLE revisions ADD COLUMN featured_media_id BIGINT;

CREATE TABLE article_media (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    media_id   BIGINT NOT NULL REFERENCES media (id),
    PRIMARY KEY (article_id, media_id)
);

CREATE INDEX article_media_media ON article_media (media_id);

-- The bytes of media files (media.Storage), by key: the item's hash and
-- the file's name.
CREATE TABLE media_files (
    key  TEXT PRIMARY KEY,
    data BYTEA NOT NULL
);

-- Images are compressed already: keep them out of line, uncompressed,
-- rather than spend the server's time failing to compress them.
ALTER TABLE media_files ALTER COLUMN data SET STORAGE EXTERNAL;
