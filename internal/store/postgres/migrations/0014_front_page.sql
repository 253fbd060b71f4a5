-- The stories editors pin to the front page, in order: the first is the
-- lead, the next the secondary slots; slots left unpinned fill with the
-- newest stories. A deleted article leaves its slot; an unpublished one
-- stays pinned but is not shown while it is not public.

CREATE TABLE front_page_pins (
    position   INTEGER PRIMARY KEY,
    article_id BIGINT NOT NULL UNIQUE REFERENCES articles (id) ON DELETE CASCADE
);
