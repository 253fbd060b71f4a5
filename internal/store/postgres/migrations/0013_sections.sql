-- Sections: the parts of the newspaper ("World", "Politics"). Every
-- article may have one primary section; a section with articles cannot be
-- deleted (the store refuses, naming the count). position orders the menu
-- and the home page's blocks.

CREATE TABLE sections (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug        TEXT NOT NULL,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT sections_slug_key UNIQUE (slug)
);

ALTER TABLE articles ADD COLUMN section_id BIGINT REFERENCES sections (id);
CREATE INDEX articles_section ON articles (section_id, published_at) WHERE section_id IS NOT NULL;

-- A revision keeps its section like every other field an edit can
-- change; without a foreign key, since a revision outlives a section.
ALTER TABLE revisions ADD COLUMN section_id BIGINT;
