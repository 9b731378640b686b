-- 080 年度考核 / 任期考核 of the cadres in the villages (issue #12 part 1; feeds 1.3c, 1.4 and 3.7).
-- A round is opened by a county organization department for a year (annual) or for the terms that
-- end in a year (term), and holds one evaluation per cadre in post in the county's villages then.
-- Each evaluation goes through the cadre's 述职, the township's 民主测评 and opinion, the dispatching
-- unit's opinion and the county's result; the county confirms the whole round at once, under the
-- cap on 优秀. Nothing is deleted: a confirmed round is the record eligibility and commendations read.
CREATE TABLE evaluation_round (
  id            INTEGER PRIMARY KEY,
  county_code   TEXT NOT NULL REFERENCES region(code),
  kind          TEXT NOT NULL CHECK (kind IN ('annual','term')),
  year          INTEGER NOT NULL,
  period_from   TEXT NOT NULL,                 -- the year's first day
  period_to     TEXT NOT NULL,                 -- its last day
  status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','confirmed')),
  created_by    INTEGER REFERENCES user(id),   -- NULL: generated (demo)
  created_at    INTEGER NOT NULL,
  confirmed_by  INTEGER REFERENCES user(id),
  confirmed_at  INTEGER,
  excellent_cap INTEGER,                       -- at confirmation: the most 优秀 the cap allowed
  UNIQUE (county_code, kind, year)
);

CREATE TABLE evaluation (
  id              INTEGER PRIMARY KEY,
  round_id        INTEGER NOT NULL REFERENCES evaluation_round(id),
  cadre_id        INTEGER NOT NULL REFERENCES cadre(id),
  assignment_id   INTEGER NOT NULL REFERENCES assignment(id),
  village_code    TEXT NOT NULL REFERENCES region(code),
  unit_id         INTEGER NOT NULL REFERENCES unit(id),   -- the dispatching unit of the post
  post            TEXT NOT NULL,
  term_start      TEXT NOT NULL,
  term_end        TEXT NOT NULL,
  version         INTEGER NOT NULL DEFAULT 1,
  report_text     TEXT,                                   -- 述职: the cadre's draft, then what was submitted
  report_at       INTEGER,                                -- submitted
  votes           TEXT,                                   -- 民主测评: JSON [{group, good, fair, average, poor}]
  votes_source    TEXT CHECK (votes_source IN ('form','sheet')),
  votes_at        INTEGER, votes_by INTEGER REFERENCES user(id),
  township_opinion TEXT, township_at INTEGER, township_by INTEGER REFERENCES user(id),
  unit_opinion    TEXT, unit_at INTEGER, unit_by INTEGER REFERENCES user(id),
  result          TEXT CHECK (result IN ('excellent','competent','basically_competent','incompetent')),
  result_comment  TEXT, result_at INTEGER, result_by INTEGER REFERENCES user(id),
  UNIQUE (round_id, cadre_id)
);
CREATE INDEX evaluation_round_village ON evaluation(round_id, village_code);
CREATE INDEX evaluation_cadre ON evaluation(cadre_id);
CREATE INDEX evaluation_unit ON evaluation(unit_id);

-- 1.3c and 1.4 read one appraisal per cadre and year: the confirmed 驻村年度考核 where there is one,
-- else the confirmed 任期考核 of a term that ended that year, else the appraisal recorded in the
-- registry (the employer's 年度考核, typed or imported).
CREATE VIEW evaluation_confirmed AS
  SELECT e.cadre_id AS cadre_id, r.year AS year, e.result AS result, r.kind AS kind
    FROM evaluation e JOIN evaluation_round r ON r.id = e.round_id
   WHERE r.status = 'confirmed' AND e.result IS NOT NULL;
CREATE VIEW appraisal_record AS
  SELECT cadre_id, year, result, 'evaluation' AS source FROM evaluation_confirmed c WHERE kind = 'annual'
  UNION ALL
  SELECT cadre_id, year, result, 'evaluation' FROM evaluation_confirmed t WHERE kind = 'term'
     AND NOT EXISTS (SELECT 1 FROM evaluation_confirmed a WHERE a.cadre_id = t.cadre_id AND a.year = t.year
                       AND a.kind = 'annual')
  UNION ALL
  SELECT a.cadre_id, a.year, a.result, 'registry' FROM cadre_appraisal a
   WHERE NOT EXISTS (SELECT 1 FROM evaluation_confirmed x WHERE x.cadre_id = a.cadre_id AND x.year = a.year);
