-- The search index's words (issue 17: "did you mean"), added as articles
-- are written. Words of deleted or changed articles stay: a suggestion is
-- searched before it is offered, so a word that finds nothing any more
-- is never shown.
CREATE TABLE search_words (
    word TEXT PRIMARY KEY COLLATE "C"
);

INSERT INTO search_words (word)
SELECT DISTINCT unnest(tsvector_to_array(search)) FROM articles
ON CONFLICT DO NOTHING;

CREATE FUNCTION search_words_add() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_words (word)
    SELECT unnest(tsvector_to_array(NEW.search))
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

CREATE TRIGGER search_words_add AFTER INSERT OR UPDATE OF title, description, body, search_tags ON articles
    FOR EACH ROW EXECUTE FUNCTION search_words_add();
