-- Newsroom accounts, their sign-in sessions, failed sign-ins for
-- throttling, the audit log, and the user who owns each article.

-- email keeps what was typed; email_key is its lower case (folded in Go,
-- as the sqlite store does), so that one address cannot be registered
-- twice in two cases. The store turns a violation of users_email_key into
-- store.ErrConflict by this name.
CREATE TABLE users (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         TEXT NOT NULL,
    email_key     TEXT NOT NULL,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('administrator', 'editor', 'author', 'contributor')),
    password_hash TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMPTZ NOT NULL,
    CONSTRAINT users_email_key UNIQUE (email_key)
);

-- Only a hash of a session's token is kept: a copy of the database signs
-- nobody in.
CREATE TABLE sessions (
    token_hash BYTEA PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    ip         TEXT NOT NULL DEFAULT ''
);

CREATE INDEX sessions_expires ON sessions (expires_at);
-- A new password ends every session of its user; PostgreSQL does not
-- index a referencing column by itself.
CREATE INDEX sessions_user ON sessions (user_id);

-- One row per failed sign-in per key (an email, an IP address).
CREATE TABLE login_failures (
    key TEXT NOT NULL,
    at  TIMESTAMPTZ NOT NULL
);

CREATE INDEX login_failures_key_at ON login_failures (key, at);

CREATE TABLE audit_log (
    id     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at     TIMESTAMPTZ NOT NULL,
    actor  TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,
    target TEXT NOT NULL DEFAULT '',
    ip     TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT ''
);

CREATE INDEX audit_log_at ON audit_log (at);

-- Deleting a user leaves their articles without an owner, for an editor
-- to take over.
ALTER TABLE articles ADD COLUMN owner_id BIGINT REFERENCES users (id) ON DELETE SET NULL;

CREATE INDEX articles_owner ON articles (owner_id);
