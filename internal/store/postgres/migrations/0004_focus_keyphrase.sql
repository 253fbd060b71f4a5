-- The optional focus keyphrase of an article, for the SEO analysis.

ALTER TABLE articles ADD COLUMN focus_keyphrase TEXT NOT NULL DEFAULT '';
