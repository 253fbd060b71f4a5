-- Every statement that changes what readers see sends a notice on the
-- channel dateline_changes, naming its table, so that a process following
-- the site (dateline export --watch) learns of it when the transaction
-- commits. PostgreSQL folds the same notice sent twice in a transaction.
CREATE FUNCTION dateline_notify_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('dateline_changes', TG_TABLE_NAME);
    RETURN NULL;
END
$$;

CREATE TRIGGER articles_notify AFTER INSERT OR UPDATE OR DELETE ON articles
    FOR EACH STATEMENT EXECUTE FUNCTION dateline_notify_change();
CREATE TRIGGER article_tags_notify AFTER INSERT OR UPDATE OR DELETE ON article_tags
    FOR EACH STATEMENT EXECUTE FUNCTION dateline_notify_change();
CREATE TRIGGER article_media_notify AFTER INSERT OR UPDATE OR DELETE ON article_media
    FOR EACH STATEMENT EXECUTE FUNCTION dateline_notify_change();
CREATE TRIGGER authors_notify AFTER INSERT OR UPDATE OR DELETE ON authors
    FOR EACH STATEMENT EXECUTE FUNCTION dateline_notify_change();
CREATE TRIGGER tags_notify AFTER INSERT OR UPDATE OR DELETE ON tags
    FOR EACH STATEMENT EXECUTE FUNCTION dateline_notify_change();
CREATE TRIGGER comments_notify AFTER INSERT OR UPDATE OR DELETE ON comments
    FOR EACH STATEMENT EXECUTE FUNCTION dateline_notify_change();
CREATE TRIGGER sections_notify AFTER INSERT OR UPDATE OR DELETE ON sections
    FOR EACH STATEMENT EXECUTE FUNCTION dateline_notify_change();
CREATE TRIGGER front_page_pins_notify AFTER INSERT OR UPDATE OR DELETE ON front_page_pins
    FOR EACH STATEMENT EXECUTE FUNCTION dateline_notify_change();
CREATE TRIGGER settings_notify AFTER INSERT OR UPDATE OR DELETE ON settings
    FOR EACH STATEMENT EXECUTE FUNCTION dateline_notify_change();
CREATE TRIGGER redirects_notify AFTER INSERT OR UPDATE OR DELETE ON redirects
    FOR EACH STATEMENT EXECUTE FUNCTION dateline_notify_change();
CREATE TRIGGER media_notify AFTER INSERT OR UPDATE OR DELETE ON media
    FOR EACH STATEMENT EXECUTE FUNCTION dateline_notify_change();
