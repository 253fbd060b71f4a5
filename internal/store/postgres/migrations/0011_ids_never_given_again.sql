-- SQLite's migration 0011 stops it giving a deleted comment's, user's,
-- author's, tag's or audit event's ID again. PostgreSQL's identity
-- columns never give an ID again, so there is nothing to do here: this
-- file keeps the two backends' numbers in step.

SELECT 1;
