-- 090 批阅 (2.1 工作报告制度, 2.4 乡镇党委书记要直接抓驻村干部平时管理, 3.1 派出单位跟踪管理): the township
-- reviews what a cadre writes — a work report or a work log — by commenting on it, returning it with a
-- reason, or accepting it; the dispatching unit reads and may comment. The item's state:
--   pending (待批阅) → returned (已退回) → resubmitted (已重新提交) → accepted (已通过)
-- (pending and resubmitted may be returned or accepted; only a returned item is resubmitted).
-- Every act is a review_note row; each text the cadre replaced is kept in review_version, so what was
-- returned and what was resubmitted can both be read.
ALTER TABLE work_report ADD COLUMN review_state TEXT NOT NULL DEFAULT 'pending'
  CHECK (review_state IN ('pending', 'returned', 'resubmitted', 'accepted'));
ALTER TABLE work_log ADD COLUMN review_state TEXT NOT NULL DEFAULT 'pending'
  CHECK (review_state IN ('pending', 'returned', 'resubmitted', 'accepted'));
ALTER TABLE work_log ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE work_log ADD COLUMN revised_at INTEGER;

CREATE TABLE review_note (
  id          INTEGER PRIMARY KEY,
  item_kind   TEXT NOT NULL CHECK (item_kind IN ('report', 'log')),
  item_id     INTEGER NOT NULL,
  cadre_id    INTEGER NOT NULL REFERENCES cadre(id),      -- the writer, for the monthly view
  action      TEXT NOT NULL CHECK (action IN ('comment', 'return', 'accept', 'resubmit')),
  reader      TEXT NOT NULL CHECK (reader IN ('township', 'unit', 'cadre')),
  user_id     INTEGER REFERENCES user(id),
  author      TEXT NOT NULL,                              -- the user's name at the time
  revision    INTEGER NOT NULL,                           -- the version the act concerns
  text        TEXT CHECK (text IS NULL OR length(text) BETWEEN 1 AND 2000),
  created_at  INTEGER NOT NULL,
  CHECK (action NOT IN ('comment', 'return') OR text IS NOT NULL)
);
CREATE INDEX review_note_item ON review_note(item_kind, item_id, id);
CREATE INDEX review_note_cadre ON review_note(cadre_id, created_at);

CREATE TABLE review_version (
  item_kind   TEXT NOT NULL CHECK (item_kind IN ('report', 'log')),
  item_id     INTEGER NOT NULL,
  revision    INTEGER NOT NULL,
  text        TEXT NOT NULL,
  written_at  INTEGER NOT NULL,                           -- when this version was sent
  PRIMARY KEY (item_kind, item_id, revision)
);
CREATE INDEX work_report_review ON work_report(review_state, village_code);
CREATE INDEX work_log_review ON work_log(cadre_id, review_state);
