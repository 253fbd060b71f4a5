-- A comment moved in from another platform (WordPress, Ghost) keeps its ID
-- there, so that importing the same export again updates it instead of
-- adding it twice. '' for comments written on this site.

ALTER TABLE comments ADD COLUMN source TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX comments_source ON comments (article_id, source) WHERE source <> '';
