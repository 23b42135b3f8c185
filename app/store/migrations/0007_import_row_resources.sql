-- The resources a CSV row names, kept with the row between preview and commit.
ALTER TABLE import_rows ADD COLUMN resources TEXT NOT NULL DEFAULT '';
