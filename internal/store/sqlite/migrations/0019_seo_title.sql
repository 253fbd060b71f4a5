-- The title search results and social cards show, when the newsroom
-- writes one apart from the headline (issue 15: Yoast's and Ghost's meta
-- title come in with an import). Revisions keep it like the keyphrase.
ALTER TABLE articles ADD COLUMN seo_title TEXT NOT NULL DEFAULT '';
ALTER TABLE revisions ADD COLUMN seo_title TEXT NOT NULL DEFAULT '';
