-- Search at 100,000 articles (issue 17) ranks the newest matches of a
-- query and, however old, the articles whose head (title, standfirst and
-- tags) matches: search_head is that part of the vector, with a GIN index
-- of its own, so that an old story is found by its headline without
-- ranking every article a common word is in. The text of one field as
-- searched is now one function, which the trigger calls for each.

CREATE FUNCTION search_text(field TEXT) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT to_tsvector('english', translate(field, '<>/.-_@:+&|!()[]{}#*~^=%$"', '                          '))
$$;

ALTER TABLE articles ADD COLUMN search_head tsvector NOT NULL DEFAULT ''::tsvector;

CREATE OR REPLACE FUNCTION article_search_vector() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- An update that sets search itself (ReindexSearch: to '') has the
    -- vectors made again whatever else it changed.
    IF TG_OP = 'UPDATE' AND NEW.title IS NOT DISTINCT FROM OLD.title
        AND NEW.description IS NOT DISTINCT FROM OLD.description
        AND NEW.body IS NOT DISTINCT FROM OLD.body
        AND NEW.search_tags IS NOT DISTINCT FROM OLD.search_tags
        AND NEW.search = OLD.search AND OLD.search <> ''::tsvector THEN
        RETURN NEW;
    END IF;
    NEW.search_head :=
        setweight(search_text(NEW.title), 'A') ||
        setweight(search_text(NEW.description), 'B') ||
        setweight(search_text(NEW.search_tags), 'B');
    NEW.search := NEW.search_head || setweight(search_text(NEW.body), 'D');
    RETURN NEW;
END
$$;

UPDATE articles SET search_head =
    setweight(search_text(title), 'A') ||
    setweight(search_text(description), 'B') ||
    setweight(search_text(search_tags), 'B');

CREATE INDEX articles_search_head ON articles USING GIN (search_head);
