-- Newsroom accounts, their sign-in sessions, failed sign-ins for
-- throttling, the audit log, and the user who owns each article.

-- email keeps what was typed; email_key is its lower case (folded in Go,
-- which knows all of Unicode, unlike SQLite's lower()), so that one
-- address cannot be registered twice in two cases.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL,
    email_key     TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('administrator', 'editor', 'author', 'contributor')),
    password_hash TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL
);

-- Only a hash of a session's token is kept: a copy of the database signs
-- nobody in.
CREATE TABLE sessions (
    token_hash BLOB PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    ip         TEXT NOT NULL DEFAULT ''
);

CREATE INDEX sessions_expires ON sessions (expires_at);
-- A new password ends every session of its user.
CREATE INDEX sessions_user ON sessions (user_id);

-- One row per failed sign-in per key (an email, an IP address).
CREATE TABLE login_failures (
    key TEXT NOT NULL,
    at  TEXT NOT NULL
);

CREATE INDEX login_failures_key_at ON login_failures (key, at);

CREATE TABLE audit_log (
    id     INTEGER PRIMARY KEY,
    at     TEXT NOT NULL,
    actor  TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,
    target TEXT NOT NULL DEFAULT '',
    ip     TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT ''
);

CREATE INDEX audit_log_at ON audit_log (at);

-- Deleting a user leaves their articles without an owner, for an editor
-- to take over.
ALTER TABLE articles ADD COLUMN owner_id INTEGER REFERENCES users (id) ON DELETE SET NULL;

CREATE INDEX articles_owner ON articles (owner_id);
