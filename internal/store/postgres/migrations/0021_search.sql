-- Full-text search (issue 17): a tsvector of each article, made from its
-- row by a trigger (so the statement that writes an article writes it too)
-- and indexed with GIN. Title weight A, standfirst and tags B, body D; English
-- stemming, which leaves words of other scripts as written, so an Urdu
-- search finds Urdu words. Tags live in their own tables; search_tags
-- holds an article's tag names, in order, kept by triggers on article_tags
-- and tags.

ALTER TABLE articles ADD COLUMN search_tags TEXT NOT NULL DEFAULT '';

CREATE FUNCTION article_tag_names(article BIGINT) RETURNS TEXT
LANGUAGE sql STABLE AS $$
    SELECT COALESCE(string_agg(t.name, ' ' ORDER BY a.position), '')
    FROM article_tags a JOIN tags t ON t.id = a.tag_id
    WHERE a.article_id = article
$$;

UPDATE articles SET search_tags = article_tag_names(id);

-- Punctuation is made space before parsing, so that words are split where
-- search.Parse splits a query and FTS5 splits text: PostgreSQL's parser
-- would otherwise read "<CSN>" as a markup tag and leave it out, and keep
-- "1986/87", "U.S.-Japan" or an address as one token that no query word
-- matches. A trigger, not a generated column, keeps it: a generated one is
-- computed again at every update of the row, and the view and comment
-- counters update rows all day.
ALTER TABLE articles ADD COLUMN search tsvector NOT NULL DEFAULT ''::tsvector;

CREATE FUNCTION article_search_vector() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search :=
        setweight(to_tsvector('english', translate(NEW.title, '<>/.-_@:+&|!()[]{}#*~^=%$"', '                          ')), 'A') ||
        setweight(to_tsvector('english', translate(NEW.description, '<>/.-_@:+&|!()[]{}#*~^=%$"', '                          ')), 'B') ||
        setweight(to_tsvector('english', translate(NEW.search_tags, '<>/.-_@:+&|!()[]{}#*~^=%$"', '                          ')), 'B') ||
        setweight(to_tsvector('english', translate(NEW.body, '<>/.-_@:+&|!()[]{}#*~^=%$"', '                          ')), 'D');
    RETURN NEW;
END
$$;

CREATE TRIGGER article_search_vector BEFORE INSERT OR UPDATE OF title, description, body, search_tags ON articles
    FOR EACH ROW EXECUTE FUNCTION article_search_vector();

UPDATE articles SET search_tags = search_tags;

CREATE INDEX articles_search ON articles USING GIN (search);

CREATE FUNCTION article_tags_search() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE articles SET search_tags = article_tag_names(OLD.article_id) WHERE id = OLD.article_id;
    ELSE
        UPDATE articles SET search_tags = article_tag_names(NEW.article_id) WHERE id = NEW.article_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER article_tags_search AFTER INSERT OR DELETE ON article_tags
    FOR EACH ROW EXECUTE FUNCTION article_tags_search();

CREATE FUNCTION tags_search_rename() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE articles SET search_tags = article_tag_names(id)
    WHERE id IN (SELECT article_id FROM article_tags WHERE tag_id = NEW.id);
    RETURN NULL;
END
$$;

CREATE TRIGGER tags_search_rename AFTER UPDATE OF name ON tags
    FOR EACH ROW EXECUTE FUNCTION tags_search_rename();
