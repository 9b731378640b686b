-- 023 re-authentication before revealing full ID numbers (issue #17, F8/F9 of the 2026-12 review: an
-- org_city account revealed 300 numbers in 0.46 s). The session records when its user last typed
-- the password again (POST /session/reauth); a reveal needs it within reveal_reauth_minutes.
ALTER TABLE session ADD COLUMN reauth_at INTEGER NOT NULL DEFAULT 0;
