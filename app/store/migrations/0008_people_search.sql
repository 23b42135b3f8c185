-- Searching People for a term few people match read every member and invitation of the
-- organization: LIKE '%term%' cannot use a B-tree. A trigram full-text index answers such
-- substring searches from the index. people_search_keys gives each member and invitation a
-- stable integer (kept by VACUUM, unlike an implicit rowid) that is the index's rowid, so the
-- triggers keeping it in step find their row directly (inside a trigger, last_insert_rowid() is
-- the key the trigger just inserted). Each trigger stands on one line:
-- migrations are split into statements at line ends.
CREATE TABLE people_search_keys (id INTEGER PRIMARY KEY, ref TEXT NOT NULL UNIQUE);
CREATE VIRTUAL TABLE people_search USING fts5(text, tokenize = 'trigram');
INSERT INTO people_search_keys (ref) SELECT id FROM memberships;
INSERT INTO people_search_keys (ref) SELECT id FROM invitations;
INSERT INTO people_search (rowid, text) SELECT k.id, lower(u.email_norm || ' ' || u.name) FROM people_search_keys k JOIN memberships m ON m.id = k.ref JOIN users u ON u.id = m.user_id;
INSERT INTO people_search (rowid, text) SELECT k.id, lower(i.email_norm || ' ' || i.name) FROM people_search_keys k JOIN invitations i ON i.id = k.ref;
CREATE TRIGGER people_search_member_in AFTER INSERT ON memberships BEGIN INSERT INTO people_search_keys (ref) VALUES (NEW.id); INSERT INTO people_search (rowid, text) SELECT k.id, lower(u.email_norm || ' ' || u.name) FROM people_search_keys k JOIN users u ON u.id = NEW.user_id WHERE k.ref = NEW.id; END;
CREATE TRIGGER people_search_member_out AFTER DELETE ON memberships BEGIN DELETE FROM people_search WHERE rowid = (SELECT id FROM people_search_keys WHERE ref = OLD.id); DELETE FROM people_search_keys WHERE ref = OLD.id; END;
CREATE TRIGGER people_search_user_change AFTER UPDATE OF name, email_norm ON users BEGIN UPDATE people_search SET text = lower(NEW.email_norm || ' ' || NEW.name) WHERE rowid IN (SELECT k.id FROM people_search_keys k JOIN memberships m ON m.id = k.ref WHERE m.user_id = NEW.id); END;
CREATE TRIGGER people_search_invitation_in AFTER INSERT ON invitations BEGIN INSERT INTO people_search_keys (ref) VALUES (NEW.id); INSERT INTO people_search (rowid, text) VALUES (last_insert_rowid(), lower(NEW.email_norm || ' ' || NEW.name)); END;
CREATE TRIGGER people_search_invitation_out AFTER DELETE ON invitations BEGIN DELETE FROM people_search WHERE rowid = (SELECT id FROM people_search_keys WHERE ref = OLD.id); DELETE FROM people_search_keys WHERE ref = OLD.id; END;
CREATE TRIGGER people_search_invitation_change AFTER UPDATE OF name, email_norm ON invitations BEGIN UPDATE people_search SET text = lower(NEW.email_norm || ' ' || NEW.name) WHERE rowid = (SELECT id FROM people_search_keys WHERE ref = NEW.id); END;
