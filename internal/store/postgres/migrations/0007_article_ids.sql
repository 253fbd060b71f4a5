-- SQLite's migration 0007 stops it giving a deleted article's ID again.
-- PostgreSQL's identity columns never give an ID again, so there is
-- nothing to do here: this file keeps the two backends' numbers in step
-- (migrations are numbered without gaps).

SELECT 1;
