-- Full-text search (issue 17): an FTS5 index over the articles table
-- itself (external content: the text is not stored twice), kept in step
-- by triggers, so the transaction that writes an article writes its
-- index entry too. Tags live in their own tables; search_tags holds an
-- article's tag names, in order, kept by triggers on article_tags and
-- tags, so that the index reads every field from the article's row.
-- English stemming (porter) over unicode61: words of other scripts are
-- indexed as written, so an Urdu search finds Urdu words.

ALTER TABLE articles ADD COLUMN search_tags TEXT NOT NULL DEFAULT '';

-- An article's tag names in order, space-separated: what search_tags holds.
CREATE VIEW article_tag_names AS
SELECT a.id AS article_id, COALESCE((
    SELECT group_concat(name, ' ') FROM (
        SELECT t.name FROM article_tags x JOIN tags t ON t.id = x.tag_id
        WHERE x.article_id = a.id ORDER BY x.position)), '') AS names
FROM articles a;

UPDATE articles SET search_tags = (SELECT names FROM article_tag_names WHERE article_id = articles.id);

CREATE VIRTUAL TABLE article_search USING fts5(
    title, description, body, search_tags,
    content = 'articles', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);

INSERT INTO article_search (article_search) VALUES ('rebuild');

CREATE TRIGGER article_search_insert AFTER INSERT ON articles BEGIN
    INSERT INTO article_search (rowid, title, description, body, search_tags)
    VALUES (new.id, new.title, new.description, new.body, new.search_tags);
END;

CREATE TRIGGER article_search_delete AFTER DELETE ON articles BEGIN
    INSERT INTO article_search (article_search, rowid, title, description, body, search_tags)
    VALUES ('delete', old.id, old.title, old.description, old.body, old.search_tags);
END;

CREATE TRIGGER article_search_update AFTER UPDATE OF title, description, body, search_tags ON articles BEGIN
    INSERT INTO article_search (article_search, rowid, title, description, body, search_tags)
    VALUES ('delete', old.id, old.title, old.description, old.body, old.search_tags);
    INSERT INTO article_search (rowid, title, description, body, search_tags)
    VALUES (new.id, new.title, new.description, new.body, new.search_tags);
END;

CREATE TRIGGER article_tags_search_insert AFTER INSERT ON article_tags BEGIN
    UPDATE articles SET search_tags = (SELECT names FROM article_tag_names WHERE article_id = new.article_id)
    WHERE id = new.article_id;
END;

CREATE TRIGGER article_tags_search_delete AFTER DELETE ON article_tags BEGIN
    UPDATE articles SET search_tags = (SELECT names FROM article_tag_names WHERE article_id = old.article_id)
    WHERE id = old.article_id;
END;

CREATE TRIGGER tags_search_rename AFTER UPDATE OF name ON tags BEGIN
    UPDATE articles SET search_tags = (SELECT names FROM article_tag_names WHERE article_id = articles.id)
    WHERE id IN (SELECT article_id FROM article_tags WHERE tag_id = new.id);
END;
