-- The change journal: one row for each row written that readers see,
-- naming what changed, so that serve learns which pages and cache tags a
-- write by another process (the command line) touches; data_version only
-- says that something was written, the view counts included. row_id is
-- the article for articles and the rows that belong to one (tags,
-- comments, photos), the author, tag or section for those, and NULL for
-- site-wide rows. listing marks an article write that can change the
-- listings it is on: a new or deleted article, or one whose status,
-- publication time, kind, slug, section or author changed. AUTOINCREMENT:
-- the journal is pruned (store.PruneChanges), and a reader asks for what
-- follows the last ID it saw, which must never be given again.
CREATE TABLE change_journal (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    tbl     TEXT NOT NULL,
    row_id  INTEGER,
    listing INTEGER NOT NULL DEFAULT 0
);

CREATE TRIGGER articles_journal_insert AFTER INSERT ON articles BEGIN
    INSERT INTO change_journal (tbl, row_id, listing) VALUES ('articles', NEW.id, 1);
END;
CREATE TRIGGER articles_journal_delete AFTER DELETE ON articles BEGIN
    INSERT INTO change_journal (tbl, row_id, listing) VALUES ('articles', OLD.id, 1);
END;
-- Every column but the view counts, which change no page.
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

CREATE TRIGGER article_tags_journal_insert AFTER INSERT ON article_tags BEGIN
    INSERT INTO change_journal (tbl, row_id, listing) VALUES ('article_tags', NEW.article_id, 1);
END;
CREATE TRIGGER article_tags_journal_update AFTER UPDATE ON article_tags BEGIN
    INSERT INTO change_journal (tbl, row_id, listing) VALUES ('article_tags', NEW.article_id, 1);
END;
CREATE TRIGGER article_tags_journal_delete AFTER DELETE ON article_tags BEGIN
    INSERT INTO change_journal (tbl, row_id, listing) VALUES ('article_tags', OLD.article_id, 1);
END;
CREATE TRIGGER article_media_journal_insert AFTER INSERT ON article_media BEGIN
    INSERT INTO change_journal (tbl, row_id) VALUES ('article_media', NEW.article_id);
END;
CREATE TRIGGER article_media_journal_update AFTER UPDATE ON article_media BEGIN
    INSERT INTO change_journal (tbl, row_id) VALUES ('article_media', NEW.article_id);
END;
CREATE TRIGGER article_media_journal_delete AFTER DELETE ON article_media BEGIN
    INSERT INTO change_journal (tbl, row_id) VALUES ('article_media', OLD.article_id);
END;
CREATE TRIGGER comments_journal_insert AFTER INSERT ON comments BEGIN
    INSERT INTO change_journal (tbl, row_id) VALUES ('comments', NEW.article_id);
END;
CREATE TRIGGER comments_journal_update AFTER UPDATE ON comments BEGIN
    INSERT INTO change_journal (tbl, row_id) VALUES ('comments', NEW.article_id);
END;
CREATE TRIGGER comments_journal_delete AFTER DELETE ON comments BEGIN
    INSERT INTO change_journal (tbl, row_id) VALUES ('comments', OLD.article_id);
END;

CREATE TRIGGER authors_journal_insert AFTER INSERT ON authors BEGIN
    INSERT INTO change_journal (tbl, row_id) VALUES ('authors', NEW.id);
END;
CREATE TRIGGER authors_journal_update AFTER UPDATE ON authors BEGIN
    INSERT INTO change_journal (tbl, row_id) VALUES ('authors', NEW.id);
END;
CREATE TRIGGER authors_journal_delete AFTER DELETE ON authors BEGIN
    INSERT INTO change_journal (tbl, row_id) VALUES ('authors', OLD.id);
END;
CREATE TRIGGER tags_journal_insert AFTER INSERT ON tags BEGIN
    INSERT INTO change_journal (tbl, row_id) VALUES ('tags', NEW.id);
END;
CREATE TRIGGER tags_journal_update AFTER UPDATE ON tags BEGIN
    INSERT INTO change_journal (tbl, row_id) VALUES ('tags', NEW.id);
END;
CREATE TRIGGER tags_journal_delete AFTER DELETE ON tags BEGIN
    INSERT INTO change_journal (tbl, row_id) VALUES ('tags', OLD.id);
END;
CREATE TRIGGER sections_journal_insert AFTER INSERT ON sections BEGIN
    INSERT INTO change_journal (tbl, row_id) VALUES ('sections', NEW.id);
END;
CREATE TRIGGER sections_journal_update AFTER UPDATE ON sections BEGIN
    INSERT INTO change_journal (tbl, row_id) VALUES ('sections', NEW.id);
END;
CREATE TRIGGER sections_journal_delete AFTER DELETE ON sections BEGIN
    INSERT INTO change_journal (tbl, row_id) VALUES ('sections', OLD.id);
END;

CREATE TRIGGER front_page_pins_journal_insert AFTER INSERT ON front_page_pins BEGIN
    INSERT INTO change_journal (tbl) VALUES ('front_page_pins');
END;
CREATE TRIGGER front_page_pins_journal_update AFTER UPDATE ON front_page_pins BEGIN
    INSERT INTO change_journal (tbl) VALUES ('front_page_pins');
END;
CREATE TRIGGER front_page_pins_journal_delete AFTER DELETE ON front_page_pins BEGIN
    INSERT INTO change_journal (tbl) VALUES ('front_page_pins');
END;
CREATE TRIGGER settings_journal_insert AFTER INSERT ON settings BEGIN
    INSERT INTO change_journal (tbl) VALUES ('settings');
END;
CREATE TRIGGER settings_journal_update AFTER UPDATE ON settings BEGIN
    INSERT INTO change_journal (tbl) VALUES ('settings');
END;
CREATE TRIGGER settings_journal_delete AFTER DELETE ON settings BEGIN
    INSERT INTO change_journal (tbl) VALUES ('settings');
END;
CREATE TRIGGER redirects_journal_insert AFTER INSERT ON redirects BEGIN
    INSERT INTO change_journal (tbl) VALUES ('redirects');
END;
CREATE TRIGGER redirects_journal_update AFTER UPDATE ON redirects BEGIN
    INSERT INTO change_journal (tbl) VALUES ('redirects');
END;
CREATE TRIGGER redirects_journal_delete AFTER DELETE ON redirects BEGIN
    INSERT INTO change_journal (tbl) VALUES ('redirects');
END;
-- A photo added to the library shows nowhere until an article uses it
-- (article_media, or the article's featured image).
CREATE TRIGGER media_journal_update AFTER UPDATE ON media BEGIN
    INSERT INTO change_journal (tbl) VALUES ('media');
END;
CREATE TRIGGER media_journal_delete AFTER DELETE ON media BEGIN
    INSERT INTO change_journal (tbl) VALUES ('media');
END;
