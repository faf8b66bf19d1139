-- 0006: mediators' profiles, qualifications, availability and declared relationships; who
-- mediates which case; recusal requests; conflict overrides. Names of the people a mediator
-- declares are never stored: only keyed blind indexes (name normalized across scripts, identity
-- numbers) and a one-character hint for the mediator's own list.

CREATE TABLE mediator_profiles (
    user_id          INTEGER PRIMARY KEY REFERENCES users(id),
    case_types       TEXT NOT NULL DEFAULT '' CHECK (case_types NOT GLOB '*[^a-z,]*'),
    subtypes         TEXT NOT NULL DEFAULT '' CHECK (subtypes NOT GLOB '*[^a-z_,]*'),
    spoken           TEXT NOT NULL DEFAULT '' CHECK (spoken NOT GLOB '*[^a-z,]*'),
    capacity         INTEGER NOT NULL DEFAULT 10 CHECK (capacity BETWEEN 0 AND 500),
    weekly_minutes   TEXT NOT NULL DEFAULT '0,0,0,0,0,0,0', -- Monday … Sunday
    last_assigned_at INTEGER,
    name_key         BLOB CHECK (name_key IS NULL OR length(name_key) = 16),
    updated_at       INTEGER NOT NULL
);

CREATE TABLE mediator_qualifications (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    jurisdiction TEXT NOT NULL CHECK (jurisdiction IN ('mainland', 'macao', 'hong_kong')),
    body         TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 64),
    number       TEXT NOT NULL CHECK (length(number) BETWEEN 1 AND 32),
    valid_from   TEXT NOT NULL CHECK (valid_from GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    valid_to     TEXT CHECK (valid_to IS NULL OR valid_to GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')
);
CREATE INDEX mediator_qualifications_user ON mediator_qualifications(user_id);

-- Dated exceptions to the weekly hours (minutes available that day; 0 = away).
CREATE TABLE mediator_availability (
    user_id INTEGER NOT NULL REFERENCES users(id),
    day     TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    minutes INTEGER NOT NULL CHECK (minutes BETWEEN 0 AND 1440),
    PRIMARY KEY (user_id, day)
) WITHOUT ROWID;

CREATE TABLE mediator_relationships (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('person', 'company', 'firm')),
    relation     TEXT NOT NULL CHECK (relation IN ('family', 'business', 'professional', 'personal', 'other')),
    name_key     BLOB CHECK (name_key IS NULL OR length(name_key) = 16),
    id_key       BLOB CHECK (id_key IS NULL OR length(id_key) = 16),
    hint         TEXT NOT NULL CHECK (length(hint) <= 8),
    since        TEXT CHECK (since IS NULL OR since GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    created_at   INTEGER NOT NULL,
    CHECK (name_key IS NOT NULL OR id_key IS NOT NULL)
);
CREATE INDEX mediator_relationships_user ON mediator_relationships(user_id);

-- Parties' names as blind keys normalized across scripts (陳大文 and 陈大文 give one key).
ALTER TABLE parties ADD COLUMN name_key BLOB CHECK (name_key IS NULL OR length(name_key) = 16);
ALTER TABLE parties ADD COLUMN name_latin_key BLOB CHECK (name_latin_key IS NULL OR length(name_latin_key) = 16);
CREATE INDEX parties_name_key ON parties(name_key) WHERE name_key IS NOT NULL;

-- Who mediates a case (one lead; a co-mediator for joint cross-border mediation).
CREATE TABLE case_mediators (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    user_id     INTEGER NOT NULL REFERENCES users(id),
    role        TEXT NOT NULL CHECK (role IN ('lead', 'co')),
    assigned_at INTEGER NOT NULL,
    assigned_by INTEGER REFERENCES users(id),
    ended_at    INTEGER,
    ended_why   TEXT CHECK (ended_why IS NULL OR ended_why IN ('recused', 'replaced', 'closed'))
);
CREATE INDEX case_mediators_case ON case_mediators(case_id) WHERE ended_at IS NULL;
CREATE INDEX case_mediators_user ON case_mediators(user_id, case_id);

-- A request that a mediator step aside (申请回避), or a mediator's own recusal.
CREATE TABLE recusals (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    mediator_id  INTEGER NOT NULL REFERENCES users(id),
    requested_by INTEGER NOT NULL REFERENCES users(id),
    grounds      BLOB NOT NULL, -- sealed with the case's key
    status       TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'refused')),
    decided_by   INTEGER REFERENCES users(id),
    decision     BLOB, -- sealed
    created_at   INTEGER NOT NULL,
    decided_at   INTEGER
);
CREATE INDEX recusals_case ON recusals(case_id);

-- An officer's override of a conflict of interest, with the written reason (sealed); the parties
-- are told (the case's timeline shows it).
CREATE TABLE conflict_overrides (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    mediator_id INTEGER NOT NULL REFERENCES users(id),
    reason      BLOB NOT NULL,
    by_user     INTEGER NOT NULL REFERENCES users(id),
    created_at  INTEGER NOT NULL
);

-- Mediators may list the cases they mediate.
INSERT OR IGNORE INTO case_access(subject, case_id)
    SELECT 'u:' || user_id, case_id FROM case_mediators WHERE ended_at IS NULL;
