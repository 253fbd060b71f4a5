-- The body becomes the articles table's last column. SQLite keeps a row's
-- columns in table order and a long body spills into overflow pages, so
-- reading any column after it (status, version, updates, the counts...)
-- walked those pages: every listing of articles read their bodies. With
-- the body last, a query that does not select it stops before it.
-- ALTER TABLE moves no column, so the body is copied to a new last
-- column, dropped and the copy renamed; the rows keep their IDs, and the
-- search index (external content, by column name) stays valid. The
-- triggers that name the body are dropped first (DROP COLUMN refuses a
-- column a trigger names, and the copy must not journal 10,000 changes
-- or index every body again) and made again as they were.
DROP TRIGGER article_search_insert;
DROP TRIGGER article_search_delete;
DROP TRIGGER article_search_update;
DROP TRIGGER articles_journal_update;

ALTER TABLE articles ADD COLUMN body_last TEXT NOT NULL DEFAULT '';
UPDATE articles SET body_last = body;
ALTER TABLE articles DROP COLUMN body;
ALTER TABLE articles RENAME COLUMN body_last TO body;

CREATE TRIGGER article_search_insert AFTER INSERT ON articles BEGIN
    INSERT INTO article_search (rowid, title, description, body, search_tags)
    VALUES (new.id, new.title, new.description, new.body, new.search_tags);
END;

CREATE TRIGGER article_search_delete AFTER DELETE ON articles BEGIN
    INSERT INTO article_search (article_search, rowid, title, description, body, search_tags)
    VALUES ('delete', old.id, old.title, old.description, old.body, old.search_tags);
END;

CREATE TRIGGER article_search_update AFTER UPDATE OF title, description, body, search_tags ON articles
WHEN old.title IS NOT new.title OR old.description IS NOT new.description
    OR old.body IS NOT new.body OR old.search_tags IS NOT new.search_tags
BEGIN
    INSERT INTO article_search (article_search, rowid, title, description, body, search_tags)
    VALUES ('delete', old.id, old.title, old.description, old.body, old.search_tags);
    INSERT INTO article_search (rowid, title, description, body, search_tags)
    VALUES (new.id, new.title, new.description, new.body, new.search_tags);
END;

CREATE TRIGGER articles_journal_update AFTER UPDATE OF
    id, slug, title, description, body, status, published_at, created_at, updated_at,
    author_id, word_count, reading_minutes, source, source_hash, version, comment_count,
    title_key, comments_closed, focus_keyphrase, owner_id, featured_media_id, section_id,
    kind, updates, seo_title, search_tags
    ON articles BEGIN
    INSERT INTO change_journal (tbl, row_id, listing) VALUES ('articles', NEW.id,
        OLD.status IS NOT NEW.status OR OLD.published_at IS NOT NEW.published_at
        OR OLD.kind IS NOT NEW.kind OR OLD.slug IS NOT NEW.slug
        OR OLD.section_id IS NOT NEW.section_id OR OLD.author_id IS NOT NEW.author_id);
END;
