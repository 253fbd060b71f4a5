-- The version joins the listing's index: the export's link memo, the
-- linking index and the word vectors ask for the version of every public
-- story (ArticleVersions) to tell which changed, and read each one's row
-- for it, most of a page of body, 10,000 pages for 10,000 stories. From
-- the index alone it is a few hundred.
DROP INDEX articles_listing;
CREATE INDEX articles_listing ON articles (published_at, id, status, kind, section_id, author_id, version);
