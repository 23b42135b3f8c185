-- The trigram index of People search keeps which rows hold each trigram, not where in them
-- (detail=none), and no per-row sizes (columnsize=0). LIKE is checked against the indexed text
-- anyway, so positions found nothing more, and writing them cost every new invitation and
-- member. The index is rebuilt from the rows it covers; the triggers of 0008 keep it in step.
DROP TABLE people_search;
CREATE VIRTUAL TABLE people_search USING fts5(text, tokenize = 'trigram', detail = none, columnsize = 0);
INSERT INTO people_search (rowid, text) SELECT k.id, lower(u.email_norm || ' ' || u.name) FROM people_search_keys k JOIN memberships m ON m.id = k.ref JOIN users u ON u.id = m.user_id;
INSERT INTO people_search (rowid, text) SELECT k.id, lower(i.email_norm || ' ' || i.name) FROM people_search_keys k JOIN invitations i ON i.id = k.ref;
