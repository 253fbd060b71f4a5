-- Search at 100,000 articles (issue 17) ranks the newest matches of a
-- query and, however old, the articles whose head (title, standfirst and
-- tags) matches; the head has an index of its own, article_search_head,
-- as a column filter on the whole index reads every match's positions.
-- The whole index is made again with prefix indexes of three and four
-- characters: without them a query for "tali*" merges the doclists of
-- every word that begins so, which took over a second at 10,000 articles. Its writes are batched in a
-- 16 MB hash (FTS5 flushed a segment every 1 MB, so an import of 500
-- long articles wrote a dozen small segments) and segments are merged
-- 16 at a time instead of 4: half the time an import spent in FTS5 was
-- merging. The triggers of 0021 and 0023 name the table and stay.

DROP TABLE article_search;

CREATE VIRTUAL TABLE article_search USING fts5(
    title, description, body, search_tags,
    content = 'articles', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2',
    prefix = '3 4'
);

INSERT INTO article_search (article_search, rank) VALUES ('hashsize', 16777216);
INSERT INTO article_search (article_search, rank) VALUES ('automerge', 16);
INSERT INTO article_search (article_search) VALUES ('rebuild');

-- A search reads the filters (status, publication time, kind, section,
-- author, owner) and the age of each of the newest matches it ranks. In
-- the table they sit after the body, so each read walked the body's
-- overflow pages; this index holds them by id (the search names it).
CREATE INDEX articles_search_filter ON articles (id, status, published_at, created_at, kind, section_id, author_id, owner_id);

CREATE VIRTUAL TABLE article_search_head USING fts5(
    title, description, search_tags,
    content = 'articles', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2',
    prefix = '3 4'
);

INSERT INTO article_search_head (article_search_head) VALUES ('rebuild');

CREATE TRIGGER article_search_head_insert AFTER INSERT ON articles BEGIN
    INSERT INTO article_search_head (rowid, title, description, search_tags)
    VALUES (new.id, new.title, new.description, new.search_tags);
END;

CREATE TRIGGER article_search_head_delete AFTER DELETE ON articles BEGIN
    INSERT INTO article_search_head (article_search_head, rowid, title, description, search_tags)
    VALUES ('delete', old.id, old.title, old.description, old.search_tags);
END;

CREATE TRIGGER article_search_head_update AFTER UPDATE OF title, description, search_tags ON articles
WHEN old.title IS NOT new.title OR old.description IS NOT new.description OR old.search_tags IS NOT new.search_tags
BEGIN
    INSERT INTO article_search_head (article_search_head, rowid, title, description, search_tags)
    VALUES ('delete', old.id, old.title, old.description, old.search_tags);
    INSERT INTO article_search_head (rowid, title, description, search_tags)
    VALUES (new.id, new.title, new.description, new.search_tags);
END;
