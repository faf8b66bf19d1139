-- 0008: users' names, e-mail addresses and phone numbers are sealed like the cases' (with the
-- installation's directory key, bound to table, column and row); e-mail and phone are looked up
-- through keyed blind indexes. The table is rebuilt without the length checks that held for the
-- plaintext (the store checks lengths before sealing); values still in plaintext are sealed by
-- qiaod at its next start.
CREATE TABLE users_new (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE
                  CHECK (length(username) BETWEEN 3 AND 32 AND username NOT GLOB '*[^a-z0-9._-]*'),
    role          TEXT NOT NULL
                  CHECK (role IN ('resident', 'lawyer', 'mediator', 'case_officer', 'auditor', 'admin')),
    display_name  BLOB NOT NULL, -- sealed (plaintext only until the next start seals it)
    email         BLOB,          -- sealed
    phone         BLOB,          -- sealed
    email_blind   BLOB CHECK (email_blind IS NULL OR length(email_blind) = 16),
    phone_blind   BLOB CHECK (phone_blind IS NULL OR length(phone_blind) = 16),
    language      TEXT NOT NULL CHECK (language IN ('zh-Hans', 'zh-Hant', 'en', 'pt')),
    password_hash TEXT NOT NULL,
    firm_id       INTEGER REFERENCES firms(id),
    status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    created_at    INTEGER NOT NULL,
    CHECK ((role = 'lawyer') = (firm_id IS NOT NULL))
);
INSERT INTO users_new(id, username, role, display_name, email, phone, language, password_hash,
                      firm_id, status, created_at)
    SELECT id, username, role, display_name, email, phone, language, password_hash, firm_id,
           status, created_at FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
CREATE INDEX users_email_blind ON users(email_blind) WHERE email_blind IS NOT NULL;
CREATE INDEX users_phone_blind ON users(phone_blind) WHERE phone_blind IS NOT NULL;
