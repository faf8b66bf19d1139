-- 0004: cross-script search over encrypted cases. Each row holds, for one case, the keyed hashes
-- of its search terms (server/vault/crypt.c vault_search_token over i18n/searchnorm.c terms) and,
-- in `scope`, keyed tokens of who may find it (its readers' subjects and its center), so a search
-- and its access rule are one index intersection. The index never holds plaintext.
-- rowid = cases.id.
CREATE VIRTUAL TABLE case_search USING fts5(terms, scope, tokenize = 'ascii', detail = 'column');
