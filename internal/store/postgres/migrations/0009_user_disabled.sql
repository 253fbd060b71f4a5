-- A disabled user cannot sign in. Disabling keeps the account and the
-- ownership of its articles, which deleting would not.

ALTER TABLE users ADD COLUMN disabled BOOLEAN NOT NULL DEFAULT false;
