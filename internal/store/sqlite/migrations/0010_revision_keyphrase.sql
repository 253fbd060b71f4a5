-- A revision keeps the focus keyphrase too, so that restoring one undoes
-- a change of keyphrase like any other edit.

ALTER TABLE revisions ADD COLUMN focus_keyphrase TEXT NOT NULL DEFAULT '';
