-- 040: the village profile (村情, 5.8 分析本村发展存在的短板弱项), kept as dated changes.
-- One row per change of one field; nothing is ever updated or deleted, so every earlier value
-- stays: the value of a field on a day is its row with the latest as_of on or before that day
-- (ties: the later id). Values are canonical JSON written by src/core/village_profile.c.
CREATE TABLE village_profile_entry (
  id           INTEGER PRIMARY KEY,
  village_code TEXT NOT NULL REFERENCES region(code),
  field        TEXT NOT NULL CHECK (field IN ('collective_income','population','industries','infrastructure',
                                              'committee','weak_points')),
  value        TEXT NOT NULL,      -- JSON, the shape of the field (village_profile.h)
  as_of        TEXT NOT NULL,      -- YYYY-MM-DD: the day the change took effect
  note         TEXT NOT NULL DEFAULT '',
  recorded_by  INTEGER REFERENCES user(id),
  recorded_at  INTEGER NOT NULL
);
CREATE INDEX village_profile_entry_field ON village_profile_entry(village_code, field, as_of, id);
