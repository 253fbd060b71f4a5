-- An author's profile, edited in the admin: a photo from the library, a
-- role title ("Defence correspondent") and links (JSON list of
-- {"label", "url"}). An image an author's profile shows is in use.

ALTER TABLE authors ADD COLUMN photo_media_id BIGINT REFERENCES media (id);
ALTER TABLE authors ADD COLUMN role_title TEXT NOT NULL DEFAULT '';
ALTER TABLE authors ADD COLUMN links TEXT NOT NULL DEFAULT '[]';
