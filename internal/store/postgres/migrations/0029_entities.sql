-- Entities (issue 20): the people, organisations and places the articles
-- name. entity_names holds the names extraction gives an entity, by key
-- (entity.Key), so that an editor's merge or split decides where a name
-- goes from then on; edited marks an entity an editor changed, which
-- rebuilds keep. article_entities links an article to what it names,
-- with the salience and the mentions (a JSON list of [field, start, end]).
CREATE TABLE entities (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('person', 'organisation', 'place')),
    name        TEXT NOT NULL,
    initials    TEXT NOT NULL DEFAULT '',
    country     TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    banned      BOOLEAN NOT NULL DEFAULT false,
    edited      BOOLEAN NOT NULL DEFAULT false,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    CONSTRAINT entities_slug_key UNIQUE (slug)
);

CREATE TABLE entity_names (
    key       TEXT NOT NULL,
    entity_id BIGINT NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    name      TEXT NOT NULL,
    CONSTRAINT entity_names_pkey PRIMARY KEY (key)
);
CREATE INDEX entity_names_entity ON entity_names (entity_id);

CREATE TABLE article_entities (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    entity_id  BIGINT NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    salience   DOUBLE PRECISION NOT NULL,
    mentions   TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (article_id, entity_id)
);
CREATE INDEX article_entities_entity ON article_entities (entity_id, article_id);

-- The developing story an article follows, named by an article of it;
-- fixed marks an editor's decision, which the machine leaves be.
CREATE TABLE article_stories (
    article_id BIGINT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    story_id   BIGINT NOT NULL,
    fixed      BOOLEAN NOT NULL DEFAULT false
);
CREATE INDEX article_stories_story ON article_stories (story_id);

-- The journal (0027): an article's entities change its page and its
-- entities' topic pages; an entity's change (a rename, a ban) every page
-- that names it; a story's change the pages of its articles.
CREATE FUNCTION dateline_journal_article_entity() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO change_journal (tbl, row_id) VALUES ('article_entities', OLD.article_id), ('topics', OLD.entity_id);
    ELSE
        INSERT INTO change_journal (tbl, row_id) VALUES ('article_entities', NEW.article_id), ('topics', NEW.entity_id);
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION dateline_journal_story() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO change_journal (tbl, row_id) VALUES ('article_stories', OLD.story_id);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO change_journal (tbl, row_id) VALUES ('article_stories', NEW.story_id);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER article_entities_journal AFTER INSERT OR UPDATE OR DELETE ON article_entities
    FOR EACH ROW EXECUTE FUNCTION dateline_journal_article_entity();
CREATE TRIGGER entities_journal AFTER UPDATE OR DELETE ON entities
    FOR EACH ROW EXECUTE FUNCTION dateline_journal_row();
CREATE TRIGGER article_stories_journal AFTER INSERT OR UPDATE OR DELETE ON article_stories
    FOR EACH ROW EXECUTE FUNCTION dateline_journal_story();

-- The notices (0025) wake the nodes that follow the journal.
CREATE TRIGGER article_entities_notify AFTER INSERT OR UPDATE OR DELETE ON article_entities
    FOR EACH STATEMENT EXECUTE FUNCTION dateline_notify_change();
CREATE TRIGGER entities_notify AFTER INSERT OR UPDATE OR DELETE ON entities
    FOR EACH STATEMENT EXECUTE FUNCTION dateline_notify_change();
CREATE TRIGGER article_stories_notify AFTER INSERT OR UPDATE OR DELETE ON article_stories
    FOR EACH STATEMENT EXECUTE FUNCTION dateline_notify_change();
