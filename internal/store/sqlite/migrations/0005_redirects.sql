-- Permanent redirects from old addresses, such as an article's slug before
-- it was renamed. Paths are kept as store.CleanRedirectPath gives them;
-- to_path is such a path or an absolute http(s) URL. No to_path is itself
-- a from_path: chains are collapsed when a redirect is added.

CREATE TABLE redirects (
    from_path  TEXT PRIMARY KEY,
    to_path    TEXT NOT NULL CHECK (to_path <> from_path),
    created_at TEXT NOT NULL
);

-- Adding a redirect re-points the ones that led to its source.
CREATE INDEX redirects_to ON redirects (to_path);
