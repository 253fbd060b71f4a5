-- What an article is: a story ('article'), or a page of the site ('page',
-- 'about', 'contact') that stands outside the listings and feeds.

ALTER TABLE articles ADD COLUMN kind TEXT NOT NULL DEFAULT 'article';
