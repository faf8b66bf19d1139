-- 0002: cases and what hangs off them: parties, claims, documents, the timeline, case numbers,
-- invitations, idempotent filing. Columns holding what people wrote or who they are are sealed by
-- the vault (BLOB: version, nonce, ciphertext) with the case's own data key; lookups go through
-- keyed blind indexes (*_blind). Enumerations are held by CHECK constraints.

-- One data key per case, wrapped by the master key. Erasure destroys it (wrapped becomes NULL).
CREATE TABLE case_keys (
    case_id      INTEGER PRIMARY KEY,
    wrapped      BLOB CHECK (wrapped IS NULL OR length(wrapped) BETWEEN 40 AND 200),
    destroyed_at INTEGER
);

-- The sequence behind case numbers: one row per center, type and year; incremented in the filing
-- transaction, so numbers never repeat and never skip.
CREATE TABLE case_numbers (
    center_id INTEGER NOT NULL REFERENCES centers(id),
    type      TEXT NOT NULL CHECK (type IN ('family', 'commercial')),
    year      INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2999),
    last_seq  INTEGER NOT NULL CHECK (last_seq >= 0),
    PRIMARY KEY (center_id, type, year)
) WITHOUT ROWID;

CREATE TABLE cases (
    id             INTEGER PRIMARY KEY,
    number         TEXT UNIQUE, -- HQ-FAM-2026-000001, given at submission (drafts have none)
    center_id      INTEGER NOT NULL REFERENCES centers(id),
    type           TEXT NOT NULL CHECK (type IN ('family', 'commercial')),
    subtype        TEXT NOT NULL CHECK (subtype IN ('divorce', 'custody', 'maintenance', 'property',
                       'inheritance', 'contract', 'sale_of_goods', 'debt', 'lease', 'shareholder',
                       'other')),
    status         TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'screening',
                       'more_info_requested', 'accepted', 'declined', 'respondent_invited',
                       'respondent_agreed', 'respondent_refused', 'respondent_no_answer',
                       'mediator_assigned', 'in_mediation', 'settled', 'partly_settled',
                       'not_settled', 'withdrawn', 'closed', 'archived', 'erased')),
    title          BLOB, -- sealed
    summary        BLOB, -- sealed: what happened
    request        BLOB, -- sealed: what the applicant asks for
    script         TEXT CHECK (script IS NULL OR script IN ('zh-Hans', 'zh-Hant', 'latin')),
    filed_by       INTEGER NOT NULL REFERENCES users(id),
    firm_id        INTEGER REFERENCES firms(id), -- the filing lawyer's firm
    consent_mediation INTEGER NOT NULL DEFAULT 0 CHECK (consent_mediation IN (0, 1)),
    consent_eservice  INTEGER NOT NULL DEFAULT 0 CHECK (consent_eservice IN (0, 1)),
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    submitted_at   INTEGER,
    accepted_at    INTEGER,
    respondent_due TEXT, -- YYYY-MM-DD in the center's calendar
    mediation_due  TEXT,
    version        INTEGER NOT NULL DEFAULT 1 -- optimistic concurrency for drafts
);
CREATE INDEX cases_center_status ON cases(center_id, status, id);
CREATE INDEX cases_filed_by ON cases(filed_by, id);
CREATE INDEX cases_firm ON cases(firm_id, id) WHERE firm_id IS NOT NULL;

CREATE TABLE parties (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL REFERENCES cases(id),
    side          TEXT NOT NULL CHECK (side IN ('applicant', 'respondent')),
    position      INTEGER NOT NULL CHECK (position BETWEEN 0 AND 19),
    kind          TEXT NOT NULL CHECK (kind IN ('person', 'company')),
    name          BLOB,          -- sealed, exactly as written (a draft may lack it)
    name_latin    BLOB,          -- sealed
    id_type       TEXT CHECK (id_type IS NULL OR id_type IN ('mainland_id', 'macao_bir', 'hk_id',
                      'mainland_travel_permit', 'passport', 'business_registration')),
    id_number     BLOB,          -- sealed, normalized
    id_blind      BLOB CHECK (id_blind IS NULL OR length(id_blind) = 16),
    phone         BLOB,
    phone_blind   BLOB CHECK (phone_blind IS NULL OR length(phone_blind) = 16),
    email         BLOB,
    email_blind   BLOB CHECK (email_blind IS NULL OR length(email_blind) = 16),
    address       BLOB,
    residence     TEXT CHECK (residence IS NULL OR residence IN ('zhuhai', 'mainland', 'macao',
                      'hong_kong', 'elsewhere')),
    language      TEXT CHECK (language IS NULL OR language IN ('zh-Hans', 'zh-Hant', 'en', 'pt')),
    spoken        TEXT NOT NULL DEFAULT '', -- comma-separated: putonghua, cantonese, portuguese, english, other
    user_id       INTEGER REFERENCES users(id), -- the account acting as this party
    lawyer_id     INTEGER REFERENCES users(id), -- the representative
    UNIQUE (case_id, side, position)
);
CREATE INDEX parties_user ON parties(user_id) WHERE user_id IS NOT NULL;
CREATE INDEX parties_lawyer ON parties(lawyer_id) WHERE lawyer_id IS NOT NULL;
CREATE INDEX parties_id_blind ON parties(id_blind) WHERE id_blind IS NOT NULL;
CREATE INDEX parties_phone_blind ON parties(phone_blind) WHERE phone_blind IS NOT NULL;
CREATE INDEX parties_email_blind ON parties(email_blind) WHERE email_blind IS NOT NULL;

CREATE TABLE claims (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    position     INTEGER NOT NULL CHECK (position BETWEEN 0 AND 49),
    description  BLOB NOT NULL, -- sealed
    amount_minor INTEGER CHECK (amount_minor IS NULL OR amount_minor BETWEEN 0 AND 1000000000000000),
    currency     TEXT CHECK (currency IS NULL OR currency IN ('CNY', 'MOP', 'HKD')),
    CHECK ((amount_minor IS NULL) = (currency IS NULL)),
    UNIQUE (case_id, position)
);

-- Electronic addresses a party consented to be served at (confirmed on the filing).
CREATE TABLE service_addresses (
    id       INTEGER PRIMARY KEY,
    case_id  INTEGER NOT NULL REFERENCES cases(id),
    party_id INTEGER REFERENCES parties(id),
    channel  TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'inbox')),
    value    BLOB NOT NULL -- sealed
);
CREATE INDEX service_addresses_case ON service_addresses(case_id);

CREATE TABLE documents (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    title       BLOB NOT NULL, -- sealed
    kind        TEXT NOT NULL CHECK (kind IN ('evidence', 'id_copy', 'power_of_attorney', 'other')),
    visibility  TEXT NOT NULL CHECK (visibility IN ('case', 'mediator')),
    media_type  TEXT NOT NULL CHECK (media_type IN ('application/pdf', 'image/jpeg', 'image/png',
                    'application/vnd.openxmlformats-officedocument.wordprocessingml.document')),
    size        INTEGER NOT NULL CHECK (size > 0),
    sha256      BLOB NOT NULL CHECK (length(sha256) = 32), -- of the plaintext bytes
    uploaded_by INTEGER NOT NULL REFERENCES users(id),
    side        TEXT CHECK (side IS NULL OR side IN ('applicant', 'respondent')), -- the uploader's side
    created_at  INTEGER NOT NULL
);
CREATE INDEX documents_case ON documents(case_id, id);

-- A document's bytes, sealed with the case's key (kept apart so listing documents reads no blobs).
CREATE TABLE document_blobs (
    document_id INTEGER PRIMARY KEY REFERENCES documents(id),
    data        BLOB NOT NULL
);

-- The case's timeline: every transition and change, with actor, time and reason.
CREATE TABLE case_events (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases(id),
    ts         INTEGER NOT NULL,
    actor_id   INTEGER REFERENCES users(id), -- NULL: the system
    actor_role TEXT NOT NULL CHECK (length(actor_role) BETWEEN 1 AND 32),
    event      TEXT NOT NULL CHECK (length(event) BETWEEN 1 AND 48),
    from_state TEXT,
    to_state   TEXT,
    reason     BLOB -- sealed
);
CREATE INDEX case_events_case ON case_events(case_id, id);

-- A respondent's invitation: a one-time code (only its hash is kept).
CREATE TABLE invitations (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases(id),
    party_id   INTEGER NOT NULL REFERENCES parties(id),
    code_hash  BLOB NOT NULL UNIQUE CHECK (length(code_hash) = 32),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER,
    used_by    INTEGER REFERENCES users(id)
);

-- A retried filing with the same Idempotency-Key returns the first result.
CREATE TABLE idempotency_keys (
    user_id    INTEGER NOT NULL REFERENCES users(id),
    key        TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 128),
    case_id    INTEGER NOT NULL REFERENCES cases(id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, key)
) WITHOUT ROWID;

-- Dated overrides of the working-day calendars (the Mainland's announced swapped working days).
CREATE TABLE calendar_overrides (
    calendar TEXT NOT NULL CHECK (calendar IN ('mainland', 'macao')),
    day      TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    working  INTEGER NOT NULL CHECK (working IN (0, 1)),
    note     TEXT CHECK (note IS NULL OR length(note) <= 200),
    PRIMARY KEY (calendar, day)
) WITHOUT ROWID;
