-- 0005: who may list which case, kept beside the case so that "my cases, newest first" is one
-- index range however many cases the installation holds. A subject is 'u:<user id>' (the filer,
-- a party's account, a party's lawyer) or 'f:<firm id>' (every case a lawyer of the firm acts on).
CREATE TABLE case_access (
    subject TEXT NOT NULL CHECK (subject GLOB '[uf]:[0-9]*'),
    case_id INTEGER NOT NULL REFERENCES cases(id),
    PRIMARY KEY (subject, case_id)
) WITHOUT ROWID;
CREATE INDEX case_access_case ON case_access(case_id);
CREATE INDEX cases_center_id ON cases(center_id, id);

INSERT OR IGNORE INTO case_access(subject, case_id)
    SELECT 'u:' || filed_by, id FROM cases
    UNION SELECT 'u:' || user_id, case_id FROM parties WHERE user_id IS NOT NULL
    UNION SELECT 'u:' || lawyer_id, case_id FROM parties WHERE lawyer_id IS NOT NULL
    UNION SELECT 'f:' || u.firm_id, p.case_id FROM parties p JOIN users u ON u.id = p.lawyer_id
          WHERE u.firm_id IS NOT NULL
    UNION SELECT 'f:' || firm_id, id FROM cases WHERE firm_id IS NOT NULL;
