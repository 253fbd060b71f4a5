-- The search index's words and how many articles hold each (issue 17:
-- "did you mean"): FTS5 keeps them already; this table reads them.
CREATE VIRTUAL TABLE article_search_vocabulary USING fts5vocab(article_search, row);
