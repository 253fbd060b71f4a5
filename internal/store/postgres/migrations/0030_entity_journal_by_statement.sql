-- 0029's journal triggers on article_entities ran once a row: a rebuild
-- writes hundreds of thousands of links, 500 articles' to a statement.
-- These run once a statement and write the journal from its transition
-- table, the same entries in one INSERT.
DROP TRIGGER article_entities_journal ON article_entities;
DROP FUNCTION dateline_journal_article_entity();

CREATE FUNCTION dateline_journal_article_entities() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO change_journal (tbl, row_id)
        SELECT 'article_entities', article_id FROM changed_links
        UNION ALL
        SELECT 'topics', entity_id FROM changed_links;
    RETURN NULL;
END
$$;

CREATE TRIGGER article_entities_journal_insert AFTER INSERT ON article_entities
    REFERENCING NEW TABLE AS changed_links
    FOR EACH STATEMENT EXECUTE FUNCTION dateline_journal_article_entities();
CREATE TRIGGER article_entities_journal_update AFTER UPDATE ON article_entities
    REFERENCING NEW TABLE AS changed_links
    FOR EACH STATEMENT EXECUTE FUNCTION dateline_journal_article_entities();
CREATE TRIGGER article_entities_journal_delete AFTER DELETE ON article_entities
    REFERENCING OLD TABLE AS changed_links
    FOR EACH STATEMENT EXECUTE FUNCTION dateline_journal_article_entities();
