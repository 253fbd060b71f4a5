-- Article IDs are never given again, as PostgreSQL's identity columns
-- never give them again: SQLite would give a deleted newest article's ID
-- to the next one, and an editor's open form or a link by ID would then
-- reach another article. article_id_high keeps the highest ID ever used.

CREATE TABLE article_id_high (id INTEGER NOT NULL);
INSERT INTO article_id_high SELECT coalesce(max(id), 0) FROM articles;

CREATE TRIGGER articles_id_high AFTER INSERT ON articles BEGIN
    UPDATE article_id_high SET id = max(id, NEW.id);
END;
