-- The photo library. An item is named by the SHA-256 of its uploaded
-- bytes (the same bytes uploaded twice are one item); its files live in a
-- media.Storage, not here. variants lists the files made from it, as JSON.
-- An article may have a featured image and name others in its body
-- (article_media); an image an article uses cannot be deleted.

CREATE TABLE media (
    id         INTEGER PRIMARY KEY,
    hash       TEXT NOT NULL UNIQUE,
    format     TEXT NOT NULL,
    width      INTEGER NOT NULL,
    height     INTEGER NOT NULL,
    size       INTEGER NOT NULL,
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
    created_at TEXT NOT NULL
);

CREATE INDEX media_created ON media (created_at, id);
CREATE INDEX media_state ON media (state) WHERE state <> 'ready';

-- No ID is ever given again (see 0011).
CREATE TABLE media_id_high (id INTEGER NOT NULL);
INSERT INTO media_id_high VALUES (0);

CREATE TRIGGER media_id_high AFTER INSERT ON media BEGIN
    UPDATE media_id_high SET id = max(id, NEW.id);
END;

ALTER TABLE articles ADD COLUMN featured_media_id INTEGER REFERENCES media (id);
CREATE INDEX articles_featured_media ON articles (featured_media_id) WHERE featured_media_id IS NOT NULL;

-- A revision keeps the featured image as every other field an edit can
-- change; without a foreign key, since a revision outlives the image.
ALTER TABLE revisions ADD COLUMN featured_media_id INTEGER;

CREATE TABLE article_media (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    media_id   INTEGER NOT NULL REFERENCES media (id),
    PRIMARY KEY (article_id, media_id)
);

CREATE INDEX article_media_media ON article_media (media_id);
