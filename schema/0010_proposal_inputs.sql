-- 0010: what an assignment proposal reads, made cheap to find and safe to keep in memory.

-- A blind key finds the cases (and sides) of the parties holding it from the index alone,
-- without reading the parties' rows. These replace the single-column indexes on the same leading
-- column, which serve every lookup those served.
CREATE INDEX parties_name_key_case ON parties(name_key, case_id, side) WHERE name_key IS NOT NULL;
CREATE INDEX parties_name_latin_key_case ON parties(name_latin_key, case_id, side)
    WHERE name_latin_key IS NOT NULL;
CREATE INDEX parties_id_blind_case ON parties(id_blind, case_id, side) WHERE id_blind IS NOT NULL;
DROP INDEX parties_name_key;
DROP INDEX parties_id_blind;
-- Who mediated a case, ended assignments included (mediated_before counts every earlier case).
CREATE INDEX case_mediators_case_user ON case_mediators(case_id, user_id);
-- A party named like a mediator is found by the mediator's own name key.
CREATE INDEX mediator_profiles_name_key ON mediator_profiles(name_key) WHERE name_key IS NOT NULL;

-- The mediators' generation: a new random value whenever anything a center's mediator roster is
-- made of changes (accounts and centers of mediators, profiles, qualifications, availability,
-- declared relationships, assignments and the status of a case with an active mediator, and
-- parties who are mediators by account or by name). qiaod keeps the rosters in memory tagged with
-- the generation they were read at, and reads them again when it differs. The triggers below are
-- the only writers: every write path, present or future, is covered. Random rather than counted,
-- so that a restored older database never repeats a value the server has seen with other data.
CREATE TABLE mediator_generation (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    gen INTEGER NOT NULL
);
INSERT INTO mediator_generation(id, gen) VALUES (1, random());

CREATE TRIGGER mediator_gen_users_ins AFTER INSERT ON users WHEN NEW.role = 'mediator'
BEGIN UPDATE mediator_generation SET gen = random() WHERE id = 1; END;
CREATE TRIGGER mediator_gen_users_upd AFTER UPDATE OF id, role, status, username ON users
    WHEN OLD.role = 'mediator' OR NEW.role = 'mediator'
BEGIN UPDATE mediator_generation SET gen = random() WHERE id = 1; END;
CREATE TRIGGER mediator_gen_users_del AFTER DELETE ON users WHEN OLD.role = 'mediator'
BEGIN UPDATE mediator_generation SET gen = random() WHERE id = 1; END;

CREATE TRIGGER mediator_gen_centers_ins AFTER INSERT ON user_centers
BEGIN UPDATE mediator_generation SET gen = random() WHERE id = 1; END;
CREATE TRIGGER mediator_gen_centers_upd AFTER UPDATE ON user_centers
BEGIN UPDATE mediator_generation SET gen = random() WHERE id = 1; END;
CREATE TRIGGER mediator_gen_centers_del AFTER DELETE ON user_centers
BEGIN UPDATE mediator_generation SET gen = random() WHERE id = 1; END;

CREATE TRIGGER mediator_gen_profiles_ins AFTER INSERT ON mediator_profiles
BEGIN UPDATE mediator_generation SET gen = random() WHERE id = 1; END;
CREATE TRIGGER mediator_gen_profiles_upd AFTER UPDATE ON mediator_profiles
BEGIN UPDATE mediator_generation SET gen = random() WHERE id = 1; END;
CREATE TRIGGER mediator_gen_profiles_del AFTER DELETE ON mediator_profiles
BEGIN UPDATE mediator_generation SET gen = random() WHERE id = 1; END;

CREATE TRIGGER mediator_gen_quals_ins AFTER INSERT ON mediator_qualifications
BEGIN UPDATE mediator_generation SET gen = random() WHERE id = 1; END;
CREATE TRIGGER mediator_gen_quals_upd AFTER UPDATE ON mediator_qualifications
BEGIN UPDATE mediator_generation SET gen = random() WHERE id = 1; END;
CREATE TRIGGER mediator_gen_quals_del AFTER DELETE ON mediator_qualifications
BEGIN UPDATE mediator_generation SET gen = random() WHERE id = 1; END;

CREATE TRIGGER mediator_gen_avail_ins AFTER INSERT ON mediator_availability
BEGIN UPDATE mediator_generation SET gen = random() WHERE id = 1; END;
CREATE TRIGGER mediator_gen_avail_upd AFTER UPDATE ON mediator_availability
BEGIN UPDATE mediator_generation SET gen = random() WHERE id = 1; END;
CREATE TRIGGER mediator_gen_avail_del AFTER DELETE ON mediator_availability
BEGIN UPDATE mediator_generation SET gen = random() WHERE id = 1; END;

CREATE TRIGGER mediator_gen_rel_ins AFTER INSERT ON mediator_relationships
BEGIN UPDATE mediator_generation SET gen = random() WHERE id = 1; END;
CREATE TRIGGER mediator_gen_rel_upd AFTER UPDATE ON mediator_relationships
BEGIN UPDATE mediator_generation SET gen = random() WHERE id = 1; END;
CREATE TRIGGER mediator_gen_rel_del AFTER DELETE ON mediator_relationships
BEGIN UPDATE mediator_generation SET gen = random() WHERE id = 1; END;

CREATE TRIGGER mediator_gen_assign_ins AFTER INSERT ON case_mediators
BEGIN UPDATE mediator_generation SET gen = random() WHERE id = 1; END;
CREATE TRIGGER mediator_gen_assign_upd AFTER UPDATE ON case_mediators
BEGIN UPDATE mediator_generation SET gen = random() WHERE id = 1; END;
CREATE TRIGGER mediator_gen_assign_del AFTER DELETE ON case_mediators
BEGIN UPDATE mediator_generation SET gen = random() WHERE id = 1; END;

-- A case's status decides whether it counts among its active mediators' open cases.
CREATE TRIGGER mediator_gen_case_status AFTER UPDATE OF status ON cases
    WHEN OLD.status IS NOT NEW.status AND
         EXISTS (SELECT 1 FROM case_mediators WHERE case_id = NEW.id AND ended_at IS NULL)
BEGIN UPDATE mediator_generation SET gen = random() WHERE id = 1; END;

-- Parties who are mediators, by account or by their own name (acted_before, self).
CREATE TRIGGER mediator_gen_parties_ins AFTER INSERT ON parties
    WHEN EXISTS (SELECT 1 FROM users WHERE id = NEW.user_id AND role = 'mediator') OR
         EXISTS (SELECT 1 FROM mediator_profiles WHERE name_key = NEW.name_key)
BEGIN UPDATE mediator_generation SET gen = random() WHERE id = 1; END;
CREATE TRIGGER mediator_gen_parties_upd AFTER UPDATE OF id, case_id, side, position, user_id,
    name_key ON parties
    WHEN EXISTS (SELECT 1 FROM users
                 WHERE id IN (OLD.user_id, NEW.user_id) AND role = 'mediator') OR
         EXISTS (SELECT 1 FROM mediator_profiles WHERE name_key IN (OLD.name_key, NEW.name_key))
BEGIN UPDATE mediator_generation SET gen = random() WHERE id = 1; END;
CREATE TRIGGER mediator_gen_parties_del AFTER DELETE ON parties
    WHEN EXISTS (SELECT 1 FROM users WHERE id = OLD.user_id AND role = 'mediator') OR
         EXISTS (SELECT 1 FROM mediator_profiles WHERE name_key = OLD.name_key)
BEGIN UPDATE mediator_generation SET gen = random() WHERE id = 1; END;
