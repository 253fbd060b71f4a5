-- Entities (issue 20): the people, organisations and places the articles
-- name. entity_names holds the names extraction gives an entity, by key
-- (entity.Key), so that an editor's merge or split decides where a name
-- goes from then on; edited marks an entity an editor changed, which
-- rebuilds keep. article_entities links an article to what it names,
-- with the salience and the mentions (a JSON list of [field, start, end]).
CREATE TABLE entities (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('person', 'organisation', 'place')),
    name        TEXT NOT NULL,
    initials    TEXT NOT NULL DEFAULT '',
    country     TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    banned      INTEGER NOT NULL DEFAULT 0,
    edited      INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- No ID is ever given again (see 0011): a merged entity's topic page
-- must not become another's.
CREATE TABLE entity_id_high (id INTEGER NOT NULL);
INSERT INTO entity_id_high VALUES (0);
CREATE TRIGGER entities_id_high AFTER INSERT ON entities BEGIN
    UPDATE entity_id_high SET id = max(id, NEW.id);
END;

CREATE TABLE entity_names (
    key       TEXT PRIMARY KEY,
    entity_id INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    name      TEXT NOT NULL
);
CREATE INDEX entity_names_entity ON entity_names (entity_id);

CREATE TABLE article_entities (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    entity_id  INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    salience   REAL NOT NULL,
    mentions   TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (article_id, entity_id)
);
CREATE INDEX article_entities_entity ON article_entities (entity_id, article_id);

-- The developing story an article follows, named by an article of it;
-- fixed marks an editor's decision, which the machine leaves be.
CREATE TABLE article_stories (
    article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    story_id   INTEGER NOT NULL,
    fixed      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX article_stories_story ON article_stories (story_id);

-- The journal (0026): an article's entities change its page and its
-- entities' topic pages; an entity's change (a rename, a ban) every page
-- that names it; a story's change the pages of its articles.
CREATE TRIGGER article_entities_journal_insert AFTER INSERT ON article_entities BEGIN
    INSERT INTO change_journal (tbl, row_id) VALUES ('article_entities', NEW.article_id);
    INSERT INTO change_journal (tbl, row_id) VALUES ('topics', NEW.entity_id);
END;
CREATE TRIGGER article_entities_journal_update AFTER UPDATE ON article_entities BEGIN
    INSERT INTO change_journal (tbl, row_id) VALUES ('article_entities', NEW.article_id);
    INSERT INTO change_journal (tbl, row_id) VALUES ('topics', NEW.entity_id);
END;
CREATE TRIGGER article_entities_journal_delete AFTER DELETE ON article_entities BEGIN
    INSERT INTO change_journal (tbl, row_id) VALUES ('article_entities', OLD.article_id);
    INSERT INTO change_journal (tbl, row_id) VALUES ('topics', OLD.entity_id);
END;
CREATE TRIGGER entities_journal_update AFTER UPDATE ON entities BEGIN
    INSERT INTO change_journal (tbl, row_id) VALUES ('entities', NEW.id);
END;
CREATE TRIGGER entities_journal_delete AFTER DELETE ON entities BEGIN
    INSERT INTO change_journal (tbl, row_id) VALUES ('entities', OLD.id);
END;
CREATE TRIGGER article_stories_journal_insert AFTER INSERT ON article_stories BEGIN
    INSERT INTO change_journal (tbl, row_id) VALUES ('article_stories', NEW.story_id);
END;
CREATE TRIGGER article_stories_journal_update AFTER UPDATE ON article_stories BEGIN
    INSERT INTO change_journal (tbl, row_id) VALUES ('article_stories', OLD.story_id);
    INSERT INTO change_journal (tbl, row_id) VALUES ('article_stories', NEW.story_id);
END;
CREATE TRIGGER article_stories_journal_delete AFTER DELETE ON article_stories BEGIN
    INSERT INTO change_journal (tbl, row_id) VALUES ('article_stories', OLD.story_id);
END;
