-- An article's search entry is written once per change of its text
-- (issue 17, measured on imports): the tag triggers of 0021 rewrote the
-- article's row, and so its whole index entry, once for every tag row
-- inserted or deleted, with the tag names of that moment. The store now
-- writes search_tags with the article and once after its tags change,
-- and the index entry is rewritten only when a searched field changed.

DROP TRIGGER article_tags_search_insert;
DROP TRIGGER article_tags_search_delete;

DROP TRIGGER article_search_update;
CREATE TRIGGER article_search_update AFTER UPDATE OF title, description, body, search_tags ON articles
WHEN old.title IS NOT new.title OR old.description IS NOT new.description
    OR old.body IS NOT new.body OR old.search_tags IS NOT new.search_tags
BEGIN
    INSERT INTO article_search (article_search, rowid, title, description, body, search_tags)
    VALUES ('delete', old.id, old.title, old.description, old.body, old.search_tags);
    INSERT INTO article_search (rowid, title, description, body, search_tags)
    VALUES (new.id, new.title, new.description, new.body, new.search_tags);
END;

-- Storing an article upserts its tags, which "updates" a tag's name to
-- itself: the rename trigger rewrote every article of the tag each time,
-- so an import slowed as the archive grew (26 articles/s at 10,000).
DROP TRIGGER tags_search_rename;
CREATE TRIGGER tags_search_rename AFTER UPDATE OF name ON tags
WHEN old.name IS NOT new.name
BEGIN
    UPDATE articles SET search_tags = (SELECT names FROM article_tag_names WHERE article_id = articles.id)
    WHERE id IN (SELECT article_id FROM article_tags WHERE tag_id = new.id);
END;
