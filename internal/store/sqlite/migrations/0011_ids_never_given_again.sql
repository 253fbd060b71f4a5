-- No ID is ever given again, in any table, as PostgreSQL's identity
-- columns never give one again; 0007 did this for articles, this does it
-- for every other table with a generated ID. SQLite gives a new row the
-- largest ID in its table plus one, so the newest row's ID went to the
-- next one once it was deleted: the admin moderates comments by ID, and a
-- stale moderation page would then act on another comment. Comments and
-- users can be deleted; authors, tags and the audit log cannot yet, and
-- follow the rule too, so that a way to delete them cannot bring the bug
-- back.
--
-- As in 0007, each table's *_id_high keeps the highest ID it ever used,
-- a trigger moves it on, and the store inserts with that ID plus one. No
-- row is rewritten. (AUTOINCREMENT would mean rebuilding each table, which
-- SQLite can do safely only with foreign keys off, outside a migration's
-- transaction: dropping the old users table would delete its sessions and
-- unset its articles' owners.) An ID deleted before this migration is not
-- known to it: each mark starts at the highest ID its table holds now.

CREATE TABLE comment_id_high (id INTEGER NOT NULL);
INSERT INTO comment_id_high SELECT coalesce(max(id), 0) FROM comments;

CREATE TRIGGER comments_id_high AFTER INSERT ON comments BEGIN
    UPDATE comment_id_high SET id = max(id, NEW.id);
END;

CREATE TABLE user_id_high (id INTEGER NOT NULL);
INSERT INTO user_id_high SELECT coalesce(max(id), 0) FROM users;

CREATE TRIGGER users_id_high AFTER INSERT ON users BEGIN
    UPDATE user_id_high SET id = max(id, NEW.id);
END;

CREATE TABLE author_id_high (id INTEGER NOT NULL);
INSERT INTO author_id_high SELECT coalesce(max(id), 0) FROM authors;

CREATE TRIGGER authors_id_high AFTER INSERT ON authors BEGIN
    UPDATE author_id_high SET id = max(id, NEW.id);
END;

CREATE TABLE tag_id_high (id INTEGER NOT NULL);
INSERT INTO tag_id_high SELECT coalesce(max(id), 0) FROM tags;

CREATE TRIGGER tags_id_high AFTER INSERT ON tags BEGIN
    UPDATE tag_id_high SET id = max(id, NEW.id);
END;

CREATE TABLE audit_id_high (id INTEGER NOT NULL);
INSERT INTO audit_id_high SELECT coalesce(max(id), 0) FROM audit_log;

CREATE TRIGGER audit_log_id_high AFTER INSERT ON audit_log BEGIN
    UPDATE audit_id_high SET id = max(id, NEW.id);
END;
