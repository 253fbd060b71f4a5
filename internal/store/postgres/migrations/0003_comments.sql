-- Comments, their moderation, the spam classifier's counts, and site
-- settings (the comment policy and the secret that signs form tokens).

ALTER TABLE articles ADD COLUMN comments_closed BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE comments (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    article_id    BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    parent_id     BIGINT REFERENCES comments (id) ON DELETE SET NULL,
    author        TEXT NOT NULL,
    email         TEXT NOT NULL,
    url           TEXT NOT NULL DEFAULT '',
    body          TEXT NOT NULL,
    body_hash     TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'spam', 'trash')),
    created_at    TIMESTAMPTZ NOT NULL,
    commenter_key TEXT NOT NULL DEFAULT '',
    reason        TEXT NOT NULL DEFAULT '',
    trained_as    TEXT NOT NULL DEFAULT '' -- '', 'ham' or 'spam': what the classifier learned from it
);

CREATE INDEX comments_article ON comments (article_id, state, created_at);
CREATE INDEX comments_state ON comments (state, created_at);
CREATE INDEX comments_email ON comments (email);
CREATE INDEX comments_body_hash ON comments (article_id, body_hash);

-- PostgreSQL does not index a referencing column by itself; without this,
-- deleting a comment scans the table for its replies, to move them up and
-- for ON DELETE SET NULL.
CREATE INDEX comments_parent ON comments (parent_id);

-- Nonces of used form tokens, kept until the token would expire anyway.
CREATE TABLE comment_nonces (
    nonce      TEXT PRIMARY KEY,
    expires_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX comment_nonces_expires ON comment_nonces (expires_at);

-- Token counts of the spam classifier; the row with the empty token counts
-- the comments it learned from.
CREATE TABLE spam_tokens (
    token TEXT PRIMARY KEY,
    ham   BIGINT NOT NULL DEFAULT 0,
    spam  BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
