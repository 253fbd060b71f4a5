-- Sections: the parts of the newspaper ("World", "Politics"). Every
-- article may have one primary section; a section with articles cannot be
-- deleted (the store refuses, naming the count). position orders the menu
-- and the home page's blocks.

CREATE TABLE sections (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL DEFAULT 0
);

-- No ID is ever given again (see 0011).
CREATE TABLE section_id_high (id INTEGER NOT NULL);
INSERT INTO section_id_high VALUES (0);

CREATE TRIGGER sections_id_high AFTER INSERT ON sections BEGIN
    UPDATE section_id_high SET id = max(id, NEW.id);
END;

ALTER TABLE articles ADD COLUMN section_id INTEGER REFERENCES sections (id);
CREATE INDEX articles_section ON articles (section_id, published_at) WHERE section_id IS NOT NULL;

-- A revision keeps its section like every other field an edit can
-- change; without a foreign key, since a revision outlives a section.
ALTER TABLE revisions ADD COLUMN section_id INTEGER;
