-- 0003: the tamper-evident audit trail. Append-only: each entry carries the BLAKE2b hash of the
-- previous entry and of its own canonical form (server/vault/audit.c); the chain's head is signed
-- at intervals with the installation's Ed25519 key. Entries hold who, as what role, what, which
-- record, when, from where and the outcome, never protected values.
CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY,
    ts          INTEGER NOT NULL,
    actor_id    INTEGER, -- NULL: the system, or nobody signed in
    actor_role  TEXT NOT NULL CHECK (length(actor_role) BETWEEN 1 AND 15),
    action      TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 47),
    object_type TEXT NOT NULL CHECK (length(object_type) <= 23),
    object_id   INTEGER NOT NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('ok', 'refused', 'failed')),
    client_addr TEXT NOT NULL CHECK (length(client_addr) <= 45),
    detail      TEXT NOT NULL CHECK (length(detail) <= 255), -- codes only
    prev_hash   BLOB NOT NULL CHECK (length(prev_hash) = 32),
    hash        BLOB NOT NULL CHECK (length(hash) = 32)
);
CREATE INDEX audit_log_object ON audit_log(object_type, object_id, seq);
CREATE INDEX audit_log_actor ON audit_log(actor_id, seq);
CREATE INDEX audit_log_ts ON audit_log(ts);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- Signed heads of the chain.
CREATE TABLE audit_heads (
    seq        INTEGER PRIMARY KEY,
    hash       BLOB NOT NULL CHECK (length(hash) = 32),
    ts         INTEGER NOT NULL,
    signature  BLOB NOT NULL CHECK (length(signature) = 64),
    public_key BLOB NOT NULL CHECK (length(public_key) = 32)
);
