-- Page counters, daily views for analytics, and the title key that
-- requested links are resolved by.

ALTER TABLE articles ADD COLUMN view_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE articles ADD COLUMN comment_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE articles ADD COLUMN title_key TEXT NOT NULL DEFAULT '';

CREATE INDEX articles_title_key ON articles (title_key);

CREATE TABLE article_views_daily (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    day        DATE NOT NULL,
    views      BIGINT NOT NULL,
    PRIMARY KEY (article_id, day)
);
