-- The change journal: one row for each row written that readers see,
-- naming what changed, so that a node learns which pages and cache tags a
-- change touches (the notices only wake it) and one that missed notices
-- while disconnected catches up by reading what it has not seen. row_id is
-- the article for articles and the rows that belong to one (tags,
-- comments, photos), the author, tag or section for those, and NULL for
-- site-wide rows. listing marks an article write that can change the
-- listings it is on: a new or deleted article, or one whose status,
-- publication time, kind, slug, section or author changed. Nodes keep the
-- journal short (store.PruneChanges).
CREATE TABLE change_journal (
    id      bigserial PRIMARY KEY,
    tbl     text NOT NULL,
    row_id  bigint,
    listing boolean NOT NULL DEFAULT false
);

CREATE FUNCTION dateline_journal_article() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO change_journal (tbl, row_id, listing) VALUES ('articles', OLD.id, true);
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO change_journal (tbl, row_id, listing) VALUES ('articles', NEW.id, true);
    ELSE
        INSERT INTO change_journal (tbl, row_id, listing) VALUES ('articles', NEW.id,
            OLD.status IS DISTINCT FROM NEW.status OR OLD.published_at IS DISTINCT FROM NEW.published_at
            OR OLD.kind IS DISTINCT FROM NEW.kind OR OLD.slug IS DISTINCT FROM NEW.slug
            OR OLD.section_id IS DISTINCT FROM NEW.section_id OR OLD.author_id IS DISTINCT FROM NEW.author_id);
    END IF;
    RETURN NULL;
END
$$;

-- The rows that belong to an article name it; tags change its listings.
CREATE FUNCTION dateline_journal_article_part() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO change_journal (tbl, row_id, listing) VALUES (TG_TABLE_NAME, OLD.article_id, TG_TABLE_NAME = 'article_tags');
    ELSE
        INSERT INTO change_journal (tbl, row_id, listing) VALUES (TG_TABLE_NAME, NEW.article_id, TG_TABLE_NAME = 'article_tags');
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION dateline_journal_row() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO change_journal (tbl, row_id) VALUES (TG_TABLE_NAME, OLD.id);
    ELSE
        INSERT INTO change_journal (tbl, row_id) VALUES (TG_TABLE_NAME, NEW.id);
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION dateline_journal_table() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO change_journal (tbl) VALUES (TG_TABLE_NAME);
    RETURN NULL;
END
$$;

-- The columns of 0026's notice: the view counts nodes add change no page.
CREATE TRIGGER articles_journal AFTER INSERT OR DELETE OR UPDATE OF
    id, slug, title, description, body, status, published_at, created_at, updated_at,
    author_id, word_count, reading_minutes, source, source_hash, version, comment_count,
    title_key, comments_closed, focus_keyphrase, owner_id, featured_media_id, section_id,
    kind, updates, seo_title, search_tags
    ON articles FOR EACH ROW EXECUTE FUNCTION dateline_journal_article();
CREATE TRIGGER article_tags_journal AFTER INSERT OR UPDATE OR DELETE ON article_tags
    FOR EACH ROW EXECUTE FUNCTION dateline_journal_article_part();
CREATE TRIGGER article_media_journal AFTER INSERT OR UPDATE OR DELETE ON article_media
    FOR EACH ROW EXECUTE FUNCTION dateline_journal_article_part();
CREATE TRIGGER comments_journal AFTER INSERT OR UPDATE OR DELETE ON comments
    FOR EACH ROW EXECUTE FUNCTION dateline_journal_article_part();
CREATE TRIGGER authors_journal AFTER INSERT OR UPDATE OR DELETE ON authors
    FOR EACH ROW EXECUTE FUNCTION dateline_journal_row();
CREATE TRIGGER tags_journal AFTER INSERT OR UPDATE OR DELETE ON tags
    FOR EACH ROW EXECUTE FUNCTION dateline_journal_row();
CREATE TRIGGER sections_journal AFTER INSERT OR UPDATE OR DELETE ON sections
    FOR EACH ROW EXECUTE FUNCTION dateline_journal_row();
CREATE TRIGGER front_page_pins_journal AFTER INSERT OR UPDATE OR DELETE ON front_page_pins
    FOR EACH STATEMENT EXECUTE FUNCTION dateline_journal_table();
CREATE TRIGGER settings_journal AFTER INSERT OR UPDATE OR DELETE ON settings
    FOR EACH STATEMENT EXECUTE FUNCTION dateline_journal_table();
CREATE TRIGGER redirects_journal AFTER INSERT OR UPDATE OR DELETE ON redirects
    FOR EACH STATEMENT EXECUTE FUNCTION dateline_journal_table();
-- A photo added to the library shows nowhere until an article uses it
-- (article_media, or the article's featured image).
CREATE TRIGGER media_journal AFTER UPDATE OR DELETE ON media
    FOR EACH STATEMENT EXECUTE FUNCTION dateline_journal_table();
