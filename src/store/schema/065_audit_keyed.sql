-- 065 keyed audit chain (issue 17, finding F6 of the 2026-12 review): each row gets `mac`, an
-- HMAC-SHA-256 chain keyed from the key file (DB.key), so that whoever rewrites the database and
-- recomputes the plain SHA-256 chain (`hash`) can no longer make `audit verify` pass. The rows
-- written before this version are keyed once, in this migration's transaction (a C step, store/audit.c),
-- and an `audit.chain_keyed` row says so. `mac` may be filled in once (NULL → value), nothing else changes.
ALTER TABLE audit ADD COLUMN mac TEXT;
DROP TRIGGER audit_no_update;
CREATE TRIGGER audit_no_update
BEFORE UPDATE OF id, at, user_id, username, action, entity, entity_id, ip, detail, prev_hash, hash ON audit
BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;
CREATE TRIGGER audit_mac_once BEFORE UPDATE OF mac ON audit WHEN OLD.mac IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;
