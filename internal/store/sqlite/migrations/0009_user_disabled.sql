-- A disabled user cannot sign in. Disabling keeps the account and the
-- ownership of its articles, which deleting would not.

ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1));
