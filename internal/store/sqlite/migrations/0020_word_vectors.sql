-- Word vectors trained on the site's own archive (issue 16): the linking
-- engine ranks related articles with them beside the vectors it ships.
-- One row a language, replaced by each training; articles and words say
-- what it was trained on, so a node knows when the archive has outgrown it.

CREATE TABLE word_vectors (
    language   TEXT PRIMARY KEY,
    articles   INTEGER NOT NULL,
    words      BIGINT NOT NULL,
    trained_at TEXT NOT NULL,
    data       BLOB NOT NULL
);
