-- 0001: centers (tenants), law firms, users and their roles, sessions, sign-in throttling, settings.
-- Times are Unix seconds (UTC). Enumerations and lengths are held by CHECK constraints.

-- A mediation center: a tenant of the installation. A case belongs to one center.
CREATE TABLE centers (
    id               INTEGER PRIMARY KEY,
    code             TEXT NOT NULL UNIQUE
                     CHECK (length(code) BETWEEN 2 AND 16 AND code NOT GLOB '*[^A-Z0-9-]*'),
    name_zh_hans     TEXT NOT NULL CHECK (length(name_zh_hans) BETWEEN 1 AND 200),
    name_zh_hant     TEXT NOT NULL CHECK (length(name_zh_hant) BETWEEN 1 AND 200),
    name_en          TEXT NOT NULL CHECK (length(name_en) BETWEEN 1 AND 200),
    name_pt          TEXT NOT NULL CHECK (length(name_pt) BETWEEN 1 AND 200),
    jurisdiction     TEXT NOT NULL CHECK (jurisdiction IN ('mainland', 'macao', 'hong_kong')),
    place            TEXT NOT NULL CHECK (length(place) BETWEEN 1 AND 100), -- e.g. Hengqin
    time_zone        TEXT NOT NULL CHECK (time_zone IN ('Asia/Shanghai', 'Asia/Macau', 'Asia/Hong_Kong')),
    default_language TEXT NOT NULL CHECK (default_language IN ('zh-Hans', 'zh-Hant', 'en', 'pt')),
    calendar         TEXT NOT NULL CHECK (calendar IN ('mainland', 'macao')), -- working-day calendar
    family           INTEGER NOT NULL CHECK (family IN (0, 1)),     -- takes family cases
    commercial       INTEGER NOT NULL CHECK (commercial IN (0, 1)), -- takes commercial cases
    cross_border     INTEGER NOT NULL CHECK (cross_border IN (0, 1)),
    created_at       INTEGER NOT NULL
);

-- A law firm; a joint firm (珠港澳律师联营所) has offices on more than one side of the border.
CREATE TABLE firms (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE
                  CHECK (length(code) BETWEEN 2 AND 16 AND code NOT GLOB '*[^A-Z0-9-]*'),
    name          TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    joint         INTEGER NOT NULL CHECK (joint IN (0, 1)),
    share_matters INTEGER NOT NULL DEFAULT 0 CHECK (share_matters IN (0, 1)), -- lawyers see all the firm's matters
    created_at    INTEGER NOT NULL
);

CREATE TABLE firm_offices (
    firm_id INTEGER NOT NULL REFERENCES firms(id) ON DELETE CASCADE,
    place   TEXT NOT NULL CHECK (place IN ('zhuhai', 'mainland', 'hong_kong', 'macao')),
    PRIMARY KEY (firm_id, place)
) WITHOUT ROWID;

-- A user has exactly one role. Lawyers belong to a firm; mediators serve one or more centers and
-- case officers one center (user_centers).
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE
                  CHECK (length(username) BETWEEN 3 AND 32 AND username NOT GLOB '*[^a-z0-9._-]*'),
    role          TEXT NOT NULL
                  CHECK (role IN ('resident', 'lawyer', 'mediator', 'case_officer', 'auditor', 'admin')),
    display_name  TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
    email         TEXT CHECK (email IS NULL OR length(email) BETWEEN 3 AND 254),
    phone         TEXT CHECK (phone IS NULL OR length(phone) BETWEEN 5 AND 20),
    language      TEXT NOT NULL CHECK (language IN ('zh-Hans', 'zh-Hant', 'en', 'pt')),
    password_hash TEXT NOT NULL, -- Argon2id, libsodium's encoded form
    firm_id       INTEGER REFERENCES firms(id),
    status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    created_at    INTEGER NOT NULL,
    CHECK ((role = 'lawyer') = (firm_id IS NOT NULL))
);

CREATE TABLE user_centers (
    user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    center_id INTEGER NOT NULL REFERENCES centers(id),
    PRIMARY KEY (user_id, center_id)
) WITHOUT ROWID;
CREATE INDEX user_centers_center ON user_centers(center_id);

-- A signed-in session. Only the BLAKE2b hash of the bearer token is kept.
CREATE TABLE sessions (
    token_hash BLOB PRIMARY KEY CHECK (length(token_hash) = 32),
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expiry ON sessions(expires_at);

-- Failed sign-ins per account and per client address, keyed by a hash of the name or address.
-- Its times are Unix milliseconds.
CREATE TABLE login_throttle (
    key_hash        BLOB PRIMARY KEY CHECK (length(key_hash) = 16),
    failures        INTEGER NOT NULL CHECK (failures >= 0),
    first_failure   INTEGER NOT NULL,
    last_failure    INTEGER NOT NULL,
    locked_until    INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- Installation-wide facts (e.g. that the demo data set was loaded).
CREATE TABLE settings (
    key   TEXT PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 64),
    value TEXT NOT NULL
) WITHOUT ROWID;
