-- Indexes that hold every column a listing filters and orders on, so that
-- a page of a listing, and its count, read the index alone. A row's
-- status, kind, section and publication time lie after its body, so
-- reading them from the table walked each skipped row's overflow pages:
-- page 50 of the home page read 500 articles' bodies. The index on status
-- goes: without statistics the planner chose it, and sorted every public
-- article for each page.
DROP INDEX articles_status_published;
CREATE INDEX articles_listing ON articles (published_at, id, status, kind, section_id, author_id);
DROP INDEX articles_section;
CREATE INDEX articles_section ON articles (section_id, published_at, id, status, kind, author_id) WHERE section_id IS NOT NULL;
DROP INDEX articles_author;
CREATE INDEX articles_author ON articles (author_id, published_at, id, status, kind, section_id);
