-- 0009: the in-app inbox, and the shortlist of three from which the parties to a commercial case
-- choose their mediator jointly.

-- One row per recipient of a timeline entry: the case's people (filer, parties, their lawyers,
-- its mediators) and, for what a party asks of the center, the center's case officers; never the
-- one who acted. The text is rendered when read, in the reader's language, from the timeline
-- entry: nothing personal is stored here. read_at is when the recipient opened it.
CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    case_id    INTEGER NOT NULL REFERENCES cases(id),
    event_id   INTEGER NOT NULL REFERENCES case_events(id),
    created_at INTEGER NOT NULL,
    read_at    INTEGER
);
CREATE INDEX notifications_user ON notifications(user_id, id);
CREATE INDEX notifications_unread ON notifications(user_id, id) WHERE read_at IS NULL;

-- A shortlist an officer offers; members in the officer's order (position 1..3).
CREATE TABLE shortlists (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases(id),
    m1         INTEGER NOT NULL REFERENCES users(id),
    m2         INTEGER NOT NULL REFERENCES users(id),
    m3         INTEGER NOT NULL REFERENCES users(id),
    status     TEXT NOT NULL CHECK (status IN ('open', 'chosen', 'withdrawn', 'failed')),
    respond_by TEXT NOT NULL CHECK (respond_by GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    chosen     INTEGER REFERENCES users(id),
    closed_at  INTEGER,
    CHECK (m1 <> m2 AND m1 <> m3 AND m2 <> m3)
);
CREATE INDEX shortlists_case ON shortlists(case_id, id);
CREATE UNIQUE INDEX shortlists_open ON shortlists(case_id) WHERE status = 'open';

-- Each side's order of preference: the members' positions, most preferred first ("2,1,3").
CREATE TABLE shortlist_rankings (
    shortlist_id INTEGER NOT NULL REFERENCES shortlists(id),
    side         TEXT NOT NULL CHECK (side IN ('applicant', 'respondent')),
    ranking      TEXT NOT NULL CHECK (ranking IN ('1,2,3', '1,3,2', '2,1,3', '2,3,1', '3,1,2', '3,2,1')),
    by_user      INTEGER NOT NULL REFERENCES users(id),
    at           INTEGER NOT NULL,
    PRIMARY KEY (shortlist_id, side)
) WITHOUT ROWID;
