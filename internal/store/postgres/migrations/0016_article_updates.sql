-- The corrections and updates notes editors append to a published
-- article ("Updated 3 Dec: the toll was revised to 12"), as a JSON list
-- of {"at", "text"}, oldest first; revisions keep them too.

ALTER TABLE articles ADD COLUMN updates TEXT NOT NULL DEFAULT '[]';
ALTER TABLE revisions ADD COLUMN updates TEXT NOT NULL DEFAULT '[]';
