-- A photo's change (its sizes made, its caption edited) names the photo,
-- so that a node purges only the pages of the articles and authors that
-- show it: a newsroom uploads photos all day, and every upload purged the
-- whole site once its sizes were made.
DROP TRIGGER media_journal ON media;
CREATE TRIGGER media_journal AFTER UPDATE OR DELETE ON media
    FOR EACH ROW EXECUTE FUNCTION dateline_journal_row();
