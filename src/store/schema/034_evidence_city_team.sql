-- 034 two new parties of the obligation engine (issue 11):
--   'city'      4.5 「各地每两年要对本级派出单位分管领导、组织人事部门负责人开展政策培训」 is owed by every
--               level for its own units, the city included (party id: the city's region code);
--   'unit_team' 3.1a/3.1b 「派出单位每月至少向所在乡镇党委和村党组织了解 1 次驻村干部在岗履职情况，每季度至少
--               听取 1 次驻村工作队工作汇报」 are owed for each team the unit has cadres in (party id:
--               "unit id:village code").
-- SQLite cannot change a CHECK in place: the table is rebuilt with the same columns, rows and indexes.
-- The inquiries and hearings already recorded (each names its village) become their team's.
CREATE TABLE obligation_evidence_034 (
  id          INTEGER PRIMARY KEY,
  kind        TEXT NOT NULL,
  party_type  TEXT NOT NULL CHECK (party_type IN
               ('county','township','unit','unit_principal','unit_deputy','unit_hr','team','cadre','city','unit_team')),
  party_id    TEXT NOT NULL,
  done_on     TEXT NOT NULL,
  amount      REAL,
  record_type TEXT NOT NULL,
  record_id   INTEGER NOT NULL,
  recorded_at INTEGER NOT NULL,
  revoked_at  INTEGER
);
INSERT INTO obligation_evidence_034 (id, kind, party_type, party_id, done_on, amount, record_type, record_id,
                                     recorded_at, revoked_at)
  SELECT id, kind, party_type, party_id, done_on, amount, record_type, record_id, recorded_at, revoked_at
  FROM obligation_evidence;
DROP TABLE obligation_evidence;
ALTER TABLE obligation_evidence_034 RENAME TO obligation_evidence;
CREATE INDEX obligation_evidence_party ON obligation_evidence(kind, party_type, party_id, done_on);
CREATE INDEX obligation_evidence_record ON obligation_evidence(record_type, record_id);
CREATE INDEX obligation_evidence_date ON obligation_evidence(kind, done_on);
CREATE INDEX obligation_evidence_engine ON obligation_evidence(kind, party_type, party_id, done_on, recorded_at, amount)
  WHERE revoked_at IS NULL;
UPDATE obligation_evidence SET party_type = 'unit_team',
  party_id = party_id || ':' || (SELECT s.village_code FROM supervision_record s WHERE s.id = obligation_evidence.record_id)
  WHERE kind IN ('unit_inquiry', 'unit_report_hearing') AND party_type = 'unit' AND record_type = 'supervision_record'
  AND (SELECT s.village_code FROM supervision_record s WHERE s.id = obligation_evidence.record_id) IS NOT NULL;
UPDATE supervision_record SET party_type = 'unit_team', party_id = party_id || ':' || village_code
  WHERE kind IN ('unit_inquiry', 'unit_report_hearing') AND party_type = 'unit' AND village_code IS NOT NULL;
