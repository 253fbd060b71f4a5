-- An article's tsvector is made once per change of its text (issue 17,
-- measured on imports): the tag triggers of 0021 rewrote the article's
-- row, its tsvector and its GIN entries once for every tag row inserted or
-- deleted, with the tag names of that moment. The store now writes
-- search_tags with the article and once after its tags change, and the
-- tsvector is made again only when a searched field changed.

DROP TRIGGER article_tags_search ON article_tags;
DROP FUNCTION article_tags_search();

-- The same view as SQLite's, so that the store writes search_tags with
-- one statement on both.
CREATE VIEW article_tag_names AS
SELECT a.id AS article_id, article_tag_names(a.id) AS names FROM articles a;

CREATE OR REPLACE FUNCTION article_search_vector() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- An update that sets search itself (ReindexSearch: to '') has the
    -- vector made again whatever else it changed.
    IF TG_OP = 'UPDATE' AND NEW.title IS NOT DISTINCT FROM OLD.title
        AND NEW.description IS NOT DISTINCT FROM OLD.description
        AND NEW.body IS NOT DISTINCT FROM OLD.body
        AND NEW.search_tags IS NOT DISTINCT FROM OLD.search_tags
        AND NEW.search = OLD.search AND OLD.search <> ''::tsvector THEN
        RETURN NEW;
    END IF;
    NEW.search :=
        setweight(to_tsvector('english', translate(NEW.title, '<>/.-_@:+&|!()[]{}#*~^=%$"', '                          ')), 'A') ||
        setweight(to_tsvector('english', translate(NEW.description, '<>/.-_@:+&|!()[]{}#*~^=%$"', '                          ')), 'B') ||
        setweight(to_tsvector('english', translate(NEW.search_tags, '<>/.-_@:+&|!()[]{}#*~^=%$"', '                          ')), 'B') ||
        setweight(to_tsvector('english', translate(NEW.body, '<>/.-_@:+&|!()[]{}#*~^=%$"', '                          ')), 'D');
    RETURN NEW;
END
$$;

-- "UPDATE OF" names the columns an UPDATE sets, not those a BEFORE
-- trigger changes: the vocabulary is added when the tsvector changed.
DROP TRIGGER search_words_add ON articles;
CREATE TRIGGER search_words_add AFTER INSERT ON articles
    FOR EACH ROW EXECUTE FUNCTION search_words_add();
CREATE TRIGGER search_words_change AFTER UPDATE ON articles
    FOR EACH ROW WHEN (OLD.search IS DISTINCT FROM NEW.search) EXECUTE FUNCTION search_words_add();

-- Storing an article upserts its tags, which "updates" a tag's name to
-- itself: the rename trigger rewrote every article of the tag each time,
-- so an import slowed as the archive grew.
DROP TRIGGER tags_search_rename ON tags;
CREATE TRIGGER tags_search_rename AFTER UPDATE OF name ON tags
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION tags_search_rename();
