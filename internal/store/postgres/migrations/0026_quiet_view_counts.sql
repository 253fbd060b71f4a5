-- Each node adds the views it counted to the articles every few seconds.
-- Those writes change no page but a view counter, which the page cache's
-- time keeps fresh enough, yet every node hearing of them dropped its
-- whole page cache and read every article's version again, every few
-- seconds. The articles' notice now goes out only for writes of the
-- columns pages show besides the views. A column added to articles must
-- be added here too (TestArticlesNoticeNamesEveryColumn checks).
DROP TRIGGER articles_notify ON articles;
CREATE TRIGGER articles_notify AFTER INSERT OR DELETE OR UPDATE OF
    id, slug, title, description, body, status, published_at, created_at, updated_at,
    author_id, word_count, reading_minutes, source, source_hash, version, comment_count,
    title_key, comments_closed, focus_keyphrase, owner_id, featured_media_id, section_id,
    kind, updates, seo_title, search_tags
    ON articles FOR EACH STATEMENT EXECUTE FUNCTION dateline_notify_change();
