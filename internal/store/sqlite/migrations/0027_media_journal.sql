-- A photo's change (its sizes made, its caption edited) names the photo,
-- so that a node purges only the pages of the articles and authors that
-- show it: a newsroom uploads photos all day, and every upload purged the
-- whole site once its sizes were made.
DROP TRIGGER media_journal_update;
DROP TRIGGER media_journal_delete;
CREATE TRIGGER media_journal_update AFTER UPDATE ON media BEGIN
    INSERT INTO change_journal (tbl, row_id) VALUES ('media', NEW.id);
END;
CREATE TRIGGER media_journal_delete AFTER DELETE ON media BEGIN
    INSERT INTO change_journal (tbl, row_id) VALUES ('media', OLD.id);
END;
