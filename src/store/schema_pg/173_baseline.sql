-- 173_baseline — zhucun's schema on PostgreSQL 15, as SQLite's migrations 001 to 173 leave it (issue 16).
--
-- A PostgreSQL database starts here: this one file makes what the SQLite migrations up to 173 made, and
-- every later migration comes in both texts (src/store/schema/NNN_name.sql and src/store/schema_pg/
-- NNN_name.sql, the same number; db_migrate refuses a binary where one is missing). The table
-- zhucun_schema holds the version, as PRAGMA user_version does on SQLite.
--
-- The translation, table by table: INTEGER is bigint (SQLite's integers are 64-bit), REAL double precision,
-- BLOB bytea; `id INTEGER PRIMARY KEY` an identity column; user.username citext (COLLATE NOCASE); a table
-- is made after the tables it refers to (assignment and adjustment refer to each other: one reference
-- is added after both exist); a trigger is a PL/pgSQL function with the trigger's WHEN as its first test;
-- a flag (0/1 in an integer column) is compared with 0, and a comparison stored as a flag is cast to int;
-- post_month's day cell is built with lpad rather than the printf below (it runs for every check-in).
-- The store's queries are one text for both databases; the functions below give PostgreSQL SQLite's.

CREATE TABLE zhucun_schema (version integer NOT NULL);

-- SQLite's functions, as zhucun's store calls them, for PostgreSQL: the dialect's differences in one place
-- (issue 16). The store's SQL is one text for both databases; where SQLite has a function PostgreSQL lacks,
-- or has under another name with the same arguments, it is defined here with SQLite's meaning for the
-- arguments zhucun passes. json_object and json_array take any number of values of any type, which only a
-- C function can: store/pg renames them to json_build_object and json_build_array as it prepares a statement.
CREATE EXTENSION IF NOT EXISTS citext;  -- user.username: SQLite's COLLATE NOCASE

-- instr(haystack, needle): 1-based position, 0 when absent
CREATE FUNCTION instr(text, text) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS 'SELECT strpos($1, $2)';

-- max(a, b) and min(a, b) of two values (SQLite's scalar forms): NULL when either is NULL
CREATE FUNCTION max(anycompatible, anycompatible) RETURNS anycompatible LANGUAGE sql IMMUTABLE
  AS 'SELECT CASE WHEN $1 IS NULL OR $2 IS NULL THEN NULL ELSE greatest($1, $2) END';
CREATE FUNCTION min(anycompatible, anycompatible) RETURNS anycompatible LANGUAGE sql IMMUTABLE
  AS 'SELECT CASE WHEN $1 IS NULL OR $2 IS NULL THEN NULL ELSE least($1, $2) END';

-- iif(condition, then, else)
CREATE FUNCTION iif(boolean, anycompatible, anycompatible) RETURNS anycompatible LANGUAGE sql IMMUTABLE
  AS 'SELECT CASE WHEN $1 THEN $2 ELSE $3 END';

-- sum() of a comparison counts the rows where it holds (SQLite's truth values are 1 and 0)
CREATE FUNCTION zhucun_sum_bool(bigint, boolean) RETURNS bigint LANGUAGE sql IMMUTABLE
  AS 'SELECT CASE WHEN $2 IS NULL THEN $1 ELSE coalesce($1, 0) + $2::int END';
CREATE AGGREGATE sum(boolean) (sfunc = zhucun_sum_bool, stype = bigint);

-- group_concat(value [, separator]): SQLite's default separator is a comma
CREATE FUNCTION zhucun_concat_step(text, text, text) RETURNS text LANGUAGE sql IMMUTABLE
  AS 'SELECT CASE WHEN $2 IS NULL THEN $1 WHEN $1 IS NULL THEN $2 ELSE $1 || $3 || $2 END';
CREATE FUNCTION zhucun_concat_step(text, text) RETURNS text LANGUAGE sql IMMUTABLE
  AS 'SELECT zhucun_concat_step($1, $2, '','')';
CREATE AGGREGATE group_concat(text, text) (sfunc = zhucun_concat_step, stype = text);
CREATE AGGREGATE group_concat(text) (sfunc = zhucun_concat_step, stype = text);

-- json_group_array(value): '[]' over no rows, as SQLite answers
CREATE FUNCTION zhucun_json_array_final(anyarray) RETURNS json LANGUAGE sql IMMUTABLE
  AS 'SELECT coalesce(array_to_json($1), ''[]''::json)';
CREATE FUNCTION zhucun_append(anyarray, anyelement) RETURNS anyarray LANGUAGE sql IMMUTABLE
  AS 'SELECT array_append($1, $2)';
CREATE AGGREGATE json_group_array(anyelement) (sfunc = zhucun_append, stype = anyarray,
  finalfunc = zhucun_json_array_final, initcond = '{}');

-- json_each(text): the members of a JSON array or object, value as text (SQLite's atom)
CREATE FUNCTION json_each(text) RETURNS TABLE (key text, value text) LANGUAGE sql IMMUTABLE STRICT
  AS $$SELECT coalesce(e.k, (e.o - 1)::text), e.v
        FROM (SELECT NULL::text AS k, v, o FROM json_array_elements_text(
                CASE WHEN json_typeof($1::json) = 'array' THEN $1::json ELSE '[]'::json END) WITH ORDINALITY a(v, o)
              UNION ALL
              SELECT k, v, 0 FROM json_each_text(
                CASE WHEN json_typeof($1::json) = 'object' THEN $1::json ELSE '{}'::json END) b(k, v)) e$$;

-- json_extract(json, '$.a.b'): a member's value as text (SQLite answers it typed; zhucun compares it as text)
CREATE FUNCTION json_extract(text, text) RETURNS text LANGUAGE sql IMMUTABLE STRICT
  AS $$SELECT $1::json #>> string_to_array(substr($2, 3), '.')$$;

-- hex(bytes) in upper case, randomblob(n) for n up to 16 bytes
CREATE FUNCTION hex(bytea) RETURNS text LANGUAGE sql IMMUTABLE STRICT AS 'SELECT upper(encode($1, ''hex''))';
CREATE FUNCTION randomblob(integer) RETURNS bytea LANGUAGE sql VOLATILE STRICT
  AS 'SELECT substring(uuid_send(gen_random_uuid()) from 1 for $1)';

-- printf(format, numbers…): the conversions zhucun uses: %d, %0Nd, %.Nf, %g, %s, %%
CREATE FUNCTION printf(fmt text, VARIADIC args double precision[]) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  out text := ''; i int := 1; n int := 0; c text; spec text; v double precision;
BEGIN
  WHILE i <= length(fmt) LOOP
    c := substr(fmt, i, 1);
    IF c <> '%' THEN out := out || c; i := i + 1; CONTINUE; END IF;
    spec := substring(substr(fmt, i) from '^%[-0-9.]*[dfgs%]');
    IF spec IS NULL THEN RETURN NULL; END IF;
    i := i + length(spec);
    IF spec = '%%' THEN out := out || '%'; CONTINUE; END IF;
    n := n + 1; v := args[n];
    IF v IS NULL THEN CONTINUE; END IF;
    CASE right(spec, 1)
      WHEN 'd' THEN
        IF spec ~ '^%0[0-9]+d$' THEN
          out := out || CASE WHEN v < 0 THEN '-' ELSE '' END
                     || lpad(abs(trunc(v)::bigint)::text, substring(spec from '[0-9]+')::int - (v < 0)::int, '0');
        ELSE out := out || trunc(v)::bigint::text; END IF;
      WHEN 'f' THEN
        out := out || round(v::numeric, coalesce(substring(spec from '\.([0-9]+)')::int, 6))::text;
      WHEN 'g' THEN
        out := out || CASE WHEN v = trunc(v) AND abs(v) < 1e15 THEN trunc(v)::bigint::text
                           ELSE trim(trailing '0' from round(v::numeric, 6)::text) END;
      ELSE out := out || v::text;
    END CASE;
  END LOOP;
  RETURN out;
END $$;

-- SQLite's time values: a text 'YYYY-MM-DD[ HH:MM:SS]' (an ISO instant with an offset is turned to UTC), or
-- Unix seconds with the 'unixepoch' modifier; then the modifiers zhucun uses ('±N days|hours|minutes|
-- seconds|months|years', 'start of month', 'start of day'). An answer SQLite would not give is NULL.
CREATE FUNCTION zhucun_time(v text, mods text[]) RETURNS timestamp LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  t timestamp; m text; k int := 1; parts text[];
BEGIN
  IF v IS NULL THEN RETURN NULL; END IF;
  IF coalesce(array_length(mods, 1), 0) >= 1 AND mods[1] = 'unixepoch' THEN
    IF v !~ '^-?[0-9]+(\.[0-9]+)?$' THEN RETURN NULL; END IF;
    t := to_timestamp(v::double precision) AT TIME ZONE 'UTC';
    k := 2;
  ELSIF v ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?)?$' THEN
    BEGIN t := v::timestamp; EXCEPTION WHEN others THEN RETURN NULL; END;
  ELSIF v ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?([+-][0-9]{2}:[0-9]{2}|Z)$' THEN
    BEGIN t := v::timestamptz AT TIME ZONE 'UTC'; EXCEPTION WHEN others THEN RETURN NULL; END;
  ELSE
    RETURN NULL;
  END IF;
  WHILE k <= coalesce(array_length(mods, 1), 0) LOOP
    m := lower(trim(mods[k]));
    k := k + 1;
    IF m = 'start of month' THEN t := date_trunc('month', t);
    ELSIF m = 'start of day' THEN t := date_trunc('day', t);
    ELSIF m = 'start of year' THEN t := date_trunc('year', t);
    ELSE
      parts := regexp_match(m, '^([+-]?[0-9]+(\.[0-9]+)?) *(day|hour|minute|second|month|year)s?$');
      IF parts IS NULL THEN RETURN NULL; END IF;
      t := t + parts[1]::double precision * ('1 ' || parts[3])::interval;
    END IF;
  END LOOP;
  RETURN t;
END $$;

CREATE FUNCTION date(v text, VARIADIC mods text[]) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$SELECT to_char(zhucun_time(v, mods), 'YYYY-MM-DD')$$;
CREATE FUNCTION date(v bigint, VARIADIC mods text[]) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$SELECT date(v::text, VARIADIC mods)$$;
CREATE FUNCTION date(v text) RETURNS text LANGUAGE sql IMMUTABLE AS $$SELECT date(v, VARIADIC '{}'::text[])$$;
CREATE FUNCTION datetime(v text, VARIADIC mods text[]) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$SELECT to_char(zhucun_time(v, mods), 'YYYY-MM-DD HH24:MI:SS')$$;
CREATE FUNCTION datetime(v bigint, VARIADIC mods text[]) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$SELECT datetime(v::text, VARIADIC mods)$$;
CREATE FUNCTION datetime(v text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$SELECT datetime(v, VARIADIC '{}'::text[])$$;
CREATE FUNCTION julianday(v text, VARIADIC mods text[]) RETURNS double precision LANGUAGE sql IMMUTABLE
  AS $$SELECT extract(epoch FROM zhucun_time(v, mods))::double precision / 86400 + 2440587.5$$;
CREATE FUNCTION julianday(v text) RETURNS double precision LANGUAGE sql IMMUTABLE
  AS $$SELECT julianday(v, VARIADIC '{}'::text[])$$;

-- strftime(format, time, modifiers…) for %Y %m %d %H %M %S %w %j %%
CREATE FUNCTION strftime(fmt text, v text, VARIADIC mods text[]) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  t timestamp := zhucun_time(v, mods); out text := ''; i int := 1; c text;
BEGIN
  IF t IS NULL THEN RETURN NULL; END IF;
  WHILE i <= length(fmt) LOOP
    c := substr(fmt, i, 1);
    IF c <> '%' OR i = length(fmt) THEN out := out || c; i := i + 1; CONTINUE; END IF;
    c := substr(fmt, i + 1, 1);
    i := i + 2;
    out := out || CASE c WHEN 'Y' THEN to_char(t, 'YYYY') WHEN 'm' THEN to_char(t, 'MM') WHEN 'd' THEN to_char(t, 'DD')
                         WHEN 'H' THEN to_char(t, 'HH24') WHEN 'M' THEN to_char(t, 'MI') WHEN 'S' THEN to_char(t, 'SS')
                         WHEN 'w' THEN extract(dow FROM t)::int::text WHEN 'j' THEN to_char(t, 'DDD')
                         WHEN 's' THEN extract(epoch FROM t)::bigint::text WHEN '%' THEN '%' ELSE NULL END;
    IF out IS NULL THEN RETURN NULL; END IF;
  END LOOP;
  RETURN out;
END $$;
CREATE FUNCTION strftime(fmt text, v bigint, VARIADIC mods text[]) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$SELECT strftime(fmt, v::text, VARIADIC mods)$$;
CREATE FUNCTION strftime(fmt text, v text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$SELECT strftime(fmt, v, VARIADIC '{}'::text[])$$;

-- pgc: json_array_length(json text); json_set(doc, path, value, …) as the handover's checklist calls it: paths
-- '$[N].key' or '$.key', the first value JSON (SQLite's json(…): PostgreSQL's cast to json), the others set
-- as strings; a path through a missing array element leaves the document as it is, as SQLite does
CREATE FUNCTION json_array_length(text) RETURNS integer LANGUAGE sql IMMUTABLE STRICT
  AS 'SELECT json_array_length($1::json)';
CREATE FUNCTION zhucun_json_path(text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT
  AS $$SELECT array_remove(regexp_split_to_array(regexp_replace(substr($1, 2), '\[(\d+)\]', '.\1', 'g'), '\.'), '')$$;
CREATE FUNCTION zhucun_json_set1(doc jsonb, path text, v jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE
  AS $$SELECT CASE WHEN doc #> trim_array(zhucun_json_path(path), 1) IS NULL THEN doc
                   ELSE jsonb_set(doc, zhucun_json_path(path), coalesce(v, 'null'::jsonb)) END$$;
CREATE FUNCTION json_set(doc text, p1 text, v1 json, p2 text, v2 text, p3 text, v3 text) RETURNS text
  LANGUAGE sql IMMUTABLE
  AS $$SELECT zhucun_json_set1(zhucun_json_set1(zhucun_json_set1(doc::jsonb, p1, v1::jsonb), p2, to_jsonb(v2)), p3,
                               to_jsonb(v3))::text$$;

-- tables (in an order where each references only tables made before it)
CREATE TABLE region (
  code        text PRIMARY KEY,
  name        text NOT NULL,
  level       text NOT NULL CHECK (level IN ('province','city','county','township','village')),
  parent_code text REFERENCES region(code),
  path        text NOT NULL UNIQUE,
  key_village bigint NOT NULL DEFAULT 0,      -- 重点村: must have a first secretary / team (1.7)
  lat         double precision,                            -- check-in fence centre, empty until set
  lng         double precision,
  radius_m    bigint,
  valid_from  text NOT NULL DEFAULT '2000-01-01',
  valid_to    text                             -- set when merged away; the row and its records stay
, official_name text);

CREATE TABLE region_history (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  code        text NOT NULL REFERENCES region(code),
  name        text NOT NULL,
  parent_code text,
  valid_from  text NOT NULL,
  valid_to    text NOT NULL
);

CREATE TABLE unit (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  name        text NOT NULL,
  level       text NOT NULL CHECK (level IN ('province','city','county','township')),
  type        text NOT NULL CHECK (type IN ('party_gov','institution','soe','other')),
  parent_id   bigint REFERENCES unit(id),
  region_code text NOT NULL REFERENCES region(code),
  created_at  bigint NOT NULL
);

CREATE TABLE cadre (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  name          text NOT NULL,
  id_cipher     bytea NOT NULL,        -- ID number, secretbox-encrypted at rest
  id_lookup     bytea NOT NULL UNIQUE, -- keyed hash of the ID number, for look-ups without decrypting
  id_masked     text NOT NULL,        -- 3607**********1234, the only form shown by default
  sex           text NOT NULL CHECK (sex IN ('M','F')),
  birth_date    text NOT NULL,
  party_member  bigint NOT NULL DEFAULT 0,
  unit_id       bigint NOT NULL REFERENCES unit(id),
  village_code  text REFERENCES region(code),
  post          text CHECK (post IN ('first_secretary','team_leader','team_member')),
  created_at    bigint NOT NULL
, employment_type text NOT NULL DEFAULT 'established', rank text, rural_experience bigint NOT NULL DEFAULT 0, agri_expertise bigint NOT NULL DEFAULT 0, note text, phone_cipher bytea, phone_masked text);

CREATE TABLE "user" (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  username             citext NOT NULL UNIQUE,
  display_name         text NOT NULL,
  role                 text NOT NULL,
  region_code          text REFERENCES region(code),
  unit_id              bigint REFERENCES unit(id),
  cadre_id             bigint REFERENCES cadre(id),
  password_hash        text NOT NULL,
  must_change_password bigint NOT NULL DEFAULT 1,
  password_changed_at  bigint NOT NULL,
  failed_logins        bigint NOT NULL DEFAULT 0,
  locked_until         bigint NOT NULL DEFAULT 0,
  disabled             bigint NOT NULL DEFAULT 0,
  created_at           bigint NOT NULL
, wecom_userid text);

CREATE TABLE session (
  token_hash   bytea PRIMARY KEY,
  user_id      bigint NOT NULL REFERENCES "user"(id),
  csrf_token   text NOT NULL,
  created_at   bigint NOT NULL,
  last_seen_at bigint NOT NULL,
  ip           text NOT NULL
, reauth_at bigint NOT NULL DEFAULT 0);

CREATE TABLE audit (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  at          bigint NOT NULL,
  user_id     bigint,
  username    text NOT NULL,
  action      text NOT NULL,
  entity      text NOT NULL,
  entity_id   text NOT NULL,
  ip          text NOT NULL,
  detail      text NOT NULL,
  prev_hash   text NOT NULL,
  hash        text NOT NULL
, mac text);

CREATE TABLE cadre_sanction (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  cadre_id   bigint NOT NULL REFERENCES cadre(id),
  kind       text NOT NULL,
  start_date text NOT NULL,
  end_date   text,
  note       text,
  created_at bigint NOT NULL
);

CREATE TABLE cadre_appraisal (
  cadre_id bigint NOT NULL REFERENCES cadre(id),
  year     bigint NOT NULL,
  result   text NOT NULL,
  PRIMARY KEY (cadre_id, year)
);

CREATE TABLE rotation_batch (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  name        text NOT NULL,
  region_code text NOT NULL REFERENCES region(code),  -- the city or county that runs it
  opens_on    text NOT NULL,
  closes_on   text NOT NULL,
  term_start  text NOT NULL,
  created_by  bigint REFERENCES "user"(id),
  created_at  bigint NOT NULL,
  CHECK (opens_on <= closes_on)
);

CREATE TABLE "assignment" (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  cadre_id        bigint NOT NULL REFERENCES cadre(id),
  village_code    text NOT NULL REFERENCES region(code),
  unit_id         bigint NOT NULL REFERENCES unit(id),
  post            text NOT NULL CHECK (post IN ('first_secretary','team_leader','team_member')),
  kind            text NOT NULL CHECK (kind IN ('rotation','adjustment','initial')),
  batch_id        bigint REFERENCES rotation_batch(id),
  adjustment_id   bigint,
  status          text NOT NULL
                  CHECK (status IN ('pending','rejected','withdrawn','approved','active','handover','ended')),
  verdict         text NOT NULL,
  reasons         text NOT NULL,
  justification   text,
  approval_region text NOT NULL REFERENCES region(code),
  org_decision    text CHECK (org_decision IN ('approved','rejected')),
  org_user        bigint REFERENCES "user"(id),
  org_at          bigint,
  org_comment     text,
  rrb_decision    text CHECK (rrb_decision IN ('approved','rejected')),
  rrb_user        bigint REFERENCES "user"(id),
  rrb_at          bigint,
  rrb_comment     text,
  start_date      text NOT NULL,
  term_end        text NOT NULL,
  ended_on        text,            -- the last day the post held its village
  end_reason      text CHECK (end_reason IN ('term_end','rotation','adjustment','recall','replaced')),
  replaces_id     bigint REFERENCES assignment(id),  -- the post this one takes over, with a handover
  version         bigint NOT NULL DEFAULT 1,
  created_by      bigint REFERENCES "user"(id),
  created_at      bigint NOT NULL
);

CREATE TABLE adjustment (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  outgoing_assignment_id bigint NOT NULL REFERENCES assignment(id),
  reason                 text NOT NULL,
  explanation            text,
  recall                 bigint NOT NULL DEFAULT 0,   -- opened by a recall (1.8)
  accountability         text,                         -- 问责 recorded with a recall
  status                 text NOT NULL DEFAULT 'open'
                         CHECK (status IN ('open','nominated','handover','done','cancelled')),
  requested_by           bigint REFERENCES "user"(id),
  created_at             bigint NOT NULL
, effective_on text);

CREATE TABLE assignment_event (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  assignment_id bigint NOT NULL REFERENCES assignment(id),
  at            bigint NOT NULL,
  user_id       bigint REFERENCES "user"(id),
  username      text NOT NULL,
  action        text NOT NULL,
  from_status   text,
  to_status     text,
  note          text
);

CREATE TABLE policy_load (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  sha256    text NOT NULL,
  path      text NOT NULL,
  loaded_at bigint NOT NULL
);

CREATE TABLE calendar_day (
  date text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('holiday','workday')),
  name text NOT NULL
);

CREATE TABLE checkin (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  cadre_id      bigint NOT NULL REFERENCES cadre(id),
  assignment_id bigint NOT NULL REFERENCES assignment(id),
  village_code  text NOT NULL REFERENCES region(code),
  client_id     text NOT NULL,              -- made by the phone, so a resend is recognised
  kind          text NOT NULL DEFAULT 'checkin' CHECK (kind IN ('checkin','visit','log')),
  at            bigint NOT NULL,           -- when it happened (unix seconds, checked against the server clock)
  received_at   bigint NOT NULL,
  date          text NOT NULL,              -- China Standard Time date of `at`
  lat           double precision,
  lng           double precision,
  accuracy_m    double precision,
  source        text,                       -- gps | network | manual
  distance_m    double precision,
  in_fence      bigint NOT NULL,
  delayed       bigint NOT NULL DEFAULT 0, -- kept offline and sent later
  reason        text,                       -- the cadre's reason when outside the fence
  flags         text NOT NULL DEFAULT ''    -- for review: speed, same_coords, poor_accuracy
);

CREATE TABLE leave (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  cadre_id       bigint NOT NULL REFERENCES cadre(id),
  assignment_id  bigint REFERENCES assignment(id),
  type           text NOT NULL,
  start_date     text NOT NULL,
  end_date       text NOT NULL,
  days           bigint NOT NULL,
  reason         text NOT NULL,
  approver_level text NOT NULL CHECK (approver_level IN ('township','county')),
  status         text NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending','approved','refused','cancelled','closed')),
  decided_by     bigint REFERENCES "user"(id),
  decided_at     bigint,
  comment        text,
  returned_on    text,                      -- 销假
  created_at     bigint NOT NULL,
  CHECK (start_date <= end_date)
);

CREATE TABLE work_log (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  cadre_id     bigint NOT NULL REFERENCES cadre(id),
  village_code text NOT NULL REFERENCES region(code),
  date         text NOT NULL,
  duty         text NOT NULL CHECK (duty IN ('party_building','consolidation','industry','construction','governance')),
  text         text NOT NULL,
  checkin_id   bigint REFERENCES checkin(id), -- written in the village: the same act counts for attendance
  created_at   bigint NOT NULL
, subject text, review_state text NOT NULL DEFAULT 'pending'
  CHECK (review_state IN ('pending', 'returned', 'resubmitted', 'accepted')), revision bigint NOT NULL DEFAULT 0, revised_at bigint);

CREATE TABLE violation (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  cadre_id          bigint NOT NULL REFERENCES cadre(id),
  assignment_id     bigint REFERENCES assignment(id),
  unit_id           bigint NOT NULL REFERENCES unit(id),    -- the dispatching unit that receives the feedback
  village_code      text NOT NULL REFERENCES region(code),
  date              text NOT NULL,                           -- when it happened
  kind              text NOT NULL,                           -- policy violation_kinds
  clause            text NOT NULL,                           -- the clause broken (2.1, 2.5, 3.6 …)
  description       text NOT NULL,
  recorded_by       bigint NOT NULL REFERENCES "user"(id),
  created_at        bigint NOT NULL,
  acknowledged_by   bigint REFERENCES "user"(id),             -- the unit has read the feedback
  acknowledged_at   bigint,
  ack_note          text,
  measure           text,                                    -- policy accountability_measures
  decided_on        text,
  decision_note     text,
  decided_by        bigint REFERENCES "user"(id),
  decided_at        bigint
);

CREATE TABLE secondment (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  cadre_id      bigint NOT NULL REFERENCES cadre(id),
  assignment_id bigint REFERENCES assignment(id),
  unit_id       bigint NOT NULL REFERENCES unit(id),        -- the unit that pulled the cadre
  village_code  text NOT NULL REFERENCES region(code),
  start_date    text NOT NULL,
  end_date      text NOT NULL,
  days          bigint NOT NULL,
  work          text NOT NULL,                               -- the unrelated work
  note          text,
  recorded_by   bigint NOT NULL REFERENCES "user"(id),
  created_at    bigint NOT NULL,
  CHECK (start_date <= end_date)
);

CREATE TABLE reminder (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  cadre_id      bigint NOT NULL REFERENCES cadre(id),
  assignment_id bigint REFERENCES assignment(id),
  unit_id       bigint NOT NULL REFERENCES unit(id),
  village_code  text NOT NULL REFERENCES region(code),
  reason        text NOT NULL,                               -- policy reminder_reasons
  text          text NOT NULL,
  sent_by       bigint NOT NULL REFERENCES "user"(id),
  created_at    bigint NOT NULL,
  read_at       bigint                                      -- the cadre marked it read
);

CREATE TABLE work_report (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  cadre_id            bigint NOT NULL REFERENCES cadre(id),
  assignment_id       bigint REFERENCES assignment(id),
  village_code        text NOT NULL REFERENCES region(code),
  unit_id             bigint NOT NULL REFERENCES unit(id),     -- the dispatching unit at the time
  period_from         text NOT NULL,
  period_to           text NOT NULL,
  text                text NOT NULL CHECK (length(text) BETWEEN 1 AND 20000),
  log_count           bigint NOT NULL DEFAULT 0,               -- logs of the period when (re)sent
  revision            bigint NOT NULL DEFAULT 0,               -- 0: as first sent; n: revised n times
  submitted_at        bigint NOT NULL,
  revised_at          bigint,
  read_by_township_at bigint,                                  -- a revision clears both read marks
  read_by_unit_at     bigint, review_state text NOT NULL DEFAULT 'pending'
  CHECK (review_state IN ('pending', 'returned', 'resubmitted', 'accepted')),
  CHECK (period_from <= period_to),
  UNIQUE (cadre_id, period_from, period_to)
);

CREATE TABLE period_unlock (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  region_code  text NOT NULL REFERENCES region(code),
  month        text NOT NULL,            -- 'YYYY-MM'
  until        text NOT NULL,            -- 'YYYY-MM-DD': the last day records of that month may change
  reason       text NOT NULL,
  user_id      bigint NOT NULL REFERENCES "user"(id),
  created_at   bigint NOT NULL
);

CREATE TABLE supervision_record (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  kind         text NOT NULL CHECK (kind IN ('county_team_leader_meeting','county_dispatch','township_meeting',
                 'township_dispatch','unit_inquiry','unit_report_hearing','principal_report_hearing',
                 'principal_visit','deputy_visit')),
  clause       text NOT NULL,              -- 2.2a, 2.2b, 2.3a, 2.3b, 3.1a, 3.1b, 3.2a, 3.2b, 3.2c
  party_type   text NOT NULL,              -- county | township | unit | unit_principal | unit_deputy
  party_id     text NOT NULL,              -- region code or unit id, as in obligation_evidence
  region_code  text NOT NULL REFERENCES region(code), -- where it belongs: scope and the month lock
  unit_id      bigint REFERENCES unit(id),
  village_code text REFERENCES region(code),          -- the team concerned (3.1a, 3.1b, 3.2a, visits)
  date         text NOT NULL,              -- YYYY-MM-DD (CST) it took place
  title        text NOT NULL,              -- topic / subject
  minutes      text,                       -- 会议纪要, 了解情况, 汇报要点
  contacts     text,                       -- 3.1a: whom the unit asked in the township and the village
  attendees    text NOT NULL DEFAULT '[]', -- JSON [{cadre_id, name, post}] picked from the cadres in scope
  snapshot     text,                       -- dispatches: JSON of the on-duty status computed at saving
  lat double precision, lng double precision, accuracy_m double precision, distance_m double precision, -- visits: the check-in at the village
  status       text NOT NULL DEFAULT 'valid' CHECK (status IN ('valid','withdrawn')),
  withdraw_reason text,
  withdrawn_by bigint REFERENCES "user"(id),
  withdrawn_at bigint,
  created_by   bigint REFERENCES "user"(id),       -- NULL: made by the demo generator
  created_at   bigint NOT NULL
);

CREATE TABLE ics_token (
  user_id    bigint PRIMARY KEY REFERENCES "user"(id),
  token_hash bytea NOT NULL UNIQUE,
  created_at bigint NOT NULL
);

CREATE TABLE household (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  village_code    text NOT NULL REFERENCES region(code),
  household_no    text NOT NULL,
  head_name       text NOT NULL,
  category        text NOT NULL CHECK (category IN
                    ('alleviated',  -- 脱贫户
                     'unstable',    -- 脱贫不稳定户 (监测户)
                     'marginal',    -- 边缘易致贫户 (监测户)
                     'sudden',      -- 突发严重困难户 (监测户)
                     'general')),   -- 一般农户 (e.g. taken in through a case)
  monitored       bigint NOT NULL DEFAULT 0,   -- 纳入监测 (set by a county decision, 5.7)
  phone_cipher    bytea,                         -- sensitive: never on a printed 公示
  phone_masked    text,                         -- 138****1234, the only form that leaves the server
  address         text,
  members_count   bigint NOT NULL DEFAULT 0,
  able_bodied     bigint NOT NULL DEFAULT 0,   -- members able to work (无劳动力户 are never closed, 5.7)
  food_clothing   bigint,                      -- 两不愁: 1 secure, 0 not, NULL unknown
  schooling       bigint,                      -- 三保障: 义务教育
  medical         bigint,                      --         基本医疗
  housing         bigint,                      --         住房安全
  water           bigint,                      -- 饮水安全
  last_visit_on   text,                         -- the latest visit (遍访, 5.6), kept by each visit: coverage up to today reads it
  status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active','removed')),
  version         bigint NOT NULL DEFAULT 1,
  created_at      bigint NOT NULL,
  updated_at      bigint NOT NULL
);

CREATE TABLE household_member (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  household_id  bigint NOT NULL REFERENCES household(id),
  name          text NOT NULL,
  id_cipher     bytea NOT NULL,
  id_lookup     bytea NOT NULL,        -- not UNIQUE: a number in two households is a cross-check finding (疑点)
  id_masked     text NOT NULL,
  sex           text NOT NULL CHECK (sex IN ('M','F')),
  birth_date    text NOT NULL,
  relation      text NOT NULL,        -- 户主, 配偶, 子女, 父母, 其他
  able_bodied   bigint NOT NULL DEFAULT 0,
  removed_at    bigint
, health_cipher bytea);

CREATE TABLE household_income (
  household_id  bigint NOT NULL REFERENCES household(id),
  year          bigint NOT NULL,
  per_capita    double precision NOT NULL,
  PRIMARY KEY (household_id, year)
);

CREATE TABLE household_history (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  household_id  bigint NOT NULL REFERENCES household(id),
  at            bigint NOT NULL,
  user_id       bigint REFERENCES "user"(id),
  source        text NOT NULL,        -- 'import', 'edit', 'case', 'visit'
  changes       text NOT NULL         -- JSON: {"field": [old, new], ...}
);

CREATE TABLE visit (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  household_id  bigint NOT NULL REFERENCES household(id),
  cadre_id      bigint NOT NULL REFERENCES cadre(id),
  village_code  text NOT NULL REFERENCES region(code),
  checkin_id    bigint REFERENCES checkin(id),
  client_id     text NOT NULL,        -- made by the phone: a resend from the offline queue is recognised
  visited_on    text NOT NULL,        -- 'YYYY-MM-DD' China Standard Time
  findings      text NOT NULL DEFAULT '',
  risks         text NOT NULL DEFAULT '[]',  -- JSON array of risk type codes seen (policy lists.risk_types)
  created_at    bigint NOT NULL
);

CREATE TABLE fund_entry (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  village_code    text NOT NULL REFERENCES region(code),   -- the team
  kind            text NOT NULL CHECK (kind IN ('work_funds','assistance_funds','living_allowance',
                   'transport_subsidy','health_check','communication_subsidy')),
  cadre_id        bigint REFERENCES cadre(id),            -- 3.4b kinds only: the cadre it is for
  amount          double precision NOT NULL CHECK (amount > 0),        -- yuan
  paid_on         text NOT NULL,                           -- 'YYYY-MM-DD' 到位日期; its year is the funds' year
  doc_no          text NOT NULL,                           -- 文号
  payer_unit_id   bigint REFERENCES unit(id),             -- 拨付单位, when a dispatching unit
  payer_name      text NOT NULL,                           -- 拨付单位 as shown (the unit's name, or e.g. 县财政局)
  note            text,
  recorded_by     bigint REFERENCES "user"(id),            -- NULL: generated (demo) or imported
  created_at      bigint NOT NULL,
  withdrawn_at    bigint,
  withdrawn_by    bigint REFERENCES "user"(id),
  withdraw_reason text,
  CHECK ((kind IN ('work_funds','assistance_funds')) = (cadre_id IS NULL))
);

CREATE TABLE insurance_policy (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  village_code    text NOT NULL REFERENCES region(code),
  year            bigint NOT NULL,                        -- the year it insures (its cover overlaps it)
  insurer         text NOT NULL,
  policy_no       text NOT NULL,
  cover_start     text NOT NULL,
  cover_end       text NOT NULL,
  payer_unit_id   bigint REFERENCES unit(id),
  payer_name      text NOT NULL,
  recorded_by     bigint REFERENCES "user"(id),            -- NULL: generated (demo) or imported
  created_at      bigint NOT NULL,
  withdrawn_at    bigint,
  withdrawn_by    bigint REFERENCES "user"(id),
  withdraw_reason text,
  CHECK (cover_end >= cover_start)
);

CREATE TABLE insurance_cover (
  policy_id bigint NOT NULL REFERENCES insurance_policy(id),
  cadre_id  bigint NOT NULL REFERENCES cadre(id),
  PRIMARY KEY (policy_id, cadre_id)
);

CREATE TABLE training_plan (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  county_code  text NOT NULL REFERENCES region(code),
  year         bigint NOT NULL,
  title        text NOT NULL,
  content      text,
  doc_no       text,
  filed_on     text,                                       -- NULL: a draft, no evidence yet
  recorded_by  bigint REFERENCES "user"(id),
  created_at   bigint NOT NULL,
  UNIQUE (county_code, year)
);

CREATE TABLE training_event (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  type            text NOT NULL,
  title           text NOT NULL,
  organizer_code  text NOT NULL REFERENCES region(code),
  start_date      text NOT NULL,
  end_date        text NOT NULL,
  hours           double precision NOT NULL CHECK (hours > 0),
  place           text NOT NULL,
  topics          text NOT NULL DEFAULT '[]',             -- JSON array of training_topics codes
  doc_no          text,
  recorded_by     bigint REFERENCES "user"(id),            -- NULL: generated (demo) or imported
  created_at      bigint NOT NULL,
  version         bigint NOT NULL DEFAULT 1,
  withdrawn_at    bigint,
  withdrawn_by    bigint REFERENCES "user"(id),
  withdraw_reason text,
  CHECK (end_date >= start_date)
);

CREATE TABLE training_participant (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  event_id    bigint NOT NULL REFERENCES training_event(id),
  role        text NOT NULL CHECK (role IN ('cadre','unit_deputy','unit_hr')),
  cadre_id    bigint REFERENCES cadre(id),
  name        text NOT NULL,
  unit_id     bigint REFERENCES unit(id),
  attended    bigint NOT NULL DEFAULT 1,
  CHECK ((role = 'cadre') = (cadre_id IS NOT NULL))
);

CREATE TABLE commendation (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  subject         text NOT NULL CHECK (subject IN ('cadre','unit')),
  cadre_id        bigint REFERENCES cadre(id),
  unit_id         bigint REFERENCES unit(id),
  kind            text NOT NULL,                           -- policy commendation_kinds
  level           text NOT NULL,                           -- policy commendation_levels
  date            text NOT NULL,
  doc_no          text NOT NULL,
  title           text NOT NULL,                           -- the award or post, e.g. 优秀驻村第一书记
  reason          text NOT NULL,
  recorded_by     bigint REFERENCES "user"(id),            -- NULL: generated (demo) or imported
  created_at      bigint NOT NULL,
  withdrawn_at    bigint,
  withdrawn_by    bigint REFERENCES "user"(id),
  withdraw_reason text,
  CHECK ((subject = 'cadre') = (cadre_id IS NOT NULL)),
  CHECK ((subject = 'unit') = (unit_id IS NOT NULL))
);

CREATE TABLE "monitoring_case" (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  household_id     bigint NOT NULL REFERENCES household(id),
  village_code     text NOT NULL REFERENCES region(code),
  source           text NOT NULL CHECK (source IN
                     ('self_reported','cadre_screening','department','visit','meeting')),
  visit_id         bigint REFERENCES visit(id),
  meeting_id       bigint,
  department       text,
  risks            text NOT NULL DEFAULT '[]',
  description      text NOT NULL DEFAULT '',
  lead_on          text NOT NULL,
  state            text NOT NULL CHECK (state IN ('found','reviewed','noticed','checked','monitored','dismissed',
                                                  'closed','close_verified','close_reviewed','close_noticed')),
  review_on        text, review_participants text, review_result text,
  notice_start     text, notice_days bigint,
  check_on         text, check_result text,
  decision_on      text, decision text, category text,
  identified_on    text,
  -- the closure's procedure (the latest one: a reversal and a new closure overwrite them)
  close_verify_on  text,                -- 入户核实
  close_review_on  text, close_review_result text,  -- 民主评议
  close_notice_start text, close_notice_days bigint,  -- 公示
  closed_on        text,                -- 审核确认: 风险消除
  version          bigint NOT NULL DEFAULT 1,
  created_by       bigint REFERENCES "user"(id),
  created_at       bigint NOT NULL,
  updated_at       bigint NOT NULL
);

CREATE TABLE case_step (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  case_id     bigint NOT NULL REFERENCES monitoring_case(id),
  step        text NOT NULL,        -- found, review, notice, objection, check, decide, measure, close, reopen
  from_state  text,
  to_state    text NOT NULL,
  on_date     text NOT NULL,        -- the day the step was taken (YYYY-MM-DD)
  note        text NOT NULL DEFAULT '',
  detail      text NOT NULL DEFAULT '{}',  -- JSON: the fields of the step
  user_id     bigint REFERENCES "user"(id),
  at          bigint NOT NULL
);

CREATE TABLE case_measure (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  case_id      bigint NOT NULL REFERENCES monitoring_case(id),
  type         text NOT NULL,
  content      text NOT NULL,
  responsible  text NOT NULL,
  applied_on   text NOT NULL,
  created_by   bigint REFERENCES "user"(id),
  created_at   bigint NOT NULL
);

CREATE TABLE monitoring_meeting (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  village_code text NOT NULL REFERENCES region(code),
  month        text NOT NULL,       -- YYYY-MM of held_on
  held_on      text NOT NULL,
  attendees    text NOT NULL,       -- JSON [{name, side: "team"|"village", cadre_id?}]
  decisions    text NOT NULL,
  status       text NOT NULL DEFAULT 'held' CHECK (status IN ('held','withdrawn')),
  created_by   bigint REFERENCES "user"(id),
  created_at   bigint NOT NULL,
  withdrawn_at bigint
);

CREATE TABLE meeting_household (
  meeting_id   bigint NOT NULL REFERENCES monitoring_meeting(id),
  household_id bigint NOT NULL REFERENCES household(id),
  PRIMARY KEY (meeting_id, household_id)
);

CREATE TABLE village_activity (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  village_code text NOT NULL REFERENCES region(code),
  held_on      text NOT NULL,
  duty         text NOT NULL CHECK (duty IN ('party_building','consolidation','industry','construction','governance')),
  type         text NOT NULL,
  title        text NOT NULL,
  participants bigint NOT NULL DEFAULT 0,   -- people present in all (村民, 党员 …)
  note         text NOT NULL DEFAULT '',
  created_by   bigint REFERENCES "user"(id),
  created_at   bigint NOT NULL
);

CREATE TABLE activity_cadre (
  activity_id  bigint NOT NULL REFERENCES village_activity(id),
  cadre_id     bigint NOT NULL REFERENCES cadre(id),
  PRIMARY KEY (activity_id, cadre_id)
);

CREATE TABLE org_transfer (
  assignment_id  bigint PRIMARY KEY REFERENCES assignment(id),
  cadre_id       bigint NOT NULL REFERENCES cadre(id),
  transferred_on text NOT NULL,
  note           text NOT NULL DEFAULT '',
  recorded_by    bigint REFERENCES "user"(id),
  created_at     bigint NOT NULL
);

CREATE TABLE assistance_plan (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  village_code  text NOT NULL REFERENCES region(code),
  year          bigint NOT NULL,
  unit_id       bigint NOT NULL REFERENCES unit(id),  -- the reviewing unit
  goals         text NOT NULL,
  drafted_with  text NOT NULL DEFAULT '',              -- 村两委 members who drafted it with the team
  status        text NOT NULL CHECK (status IN ('draft','submitted','returned','approved')),
  version       bigint NOT NULL DEFAULT 1,
  submitted_at  bigint, submitted_by bigint REFERENCES "user"(id),
  reviewed_at   bigint, reviewed_by bigint REFERENCES "user"(id), review_comment text,
  created_by    bigint REFERENCES "user"(id),
  created_at    bigint NOT NULL,
  updated_at    bigint NOT NULL
, weak_points text NOT NULL DEFAULT '[]');

CREATE TABLE plan_item (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  plan_id      bigint NOT NULL REFERENCES assistance_plan(id),
  seq          bigint NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('project','funds','people','other')),
  title        text NOT NULL,
  target       text NOT NULL,
  amount       double precision,                -- yuan, for funds and projects
  due_month    text NOT NULL,       -- YYYY-MM
  responsible  text NOT NULL DEFAULT '',
  removed      bigint NOT NULL DEFAULT 0
);

CREATE TABLE plan_event (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  plan_id   bigint NOT NULL REFERENCES assistance_plan(id),
  action    text NOT NULL,         -- create, edit, submit, return, approve
  version   bigint NOT NULL,
  comment   text NOT NULL DEFAULT '',
  user_id   bigint REFERENCES "user"(id),
  at        bigint NOT NULL
);

CREATE TABLE plan_progress (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  item_id     bigint NOT NULL REFERENCES plan_item(id),
  on_date     text NOT NULL,
  percent     bigint NOT NULL CHECK (percent BETWEEN 0 AND 100),
  amount      double precision,
  note        text NOT NULL,
  recorded_by bigint REFERENCES "user"(id),
  created_at  bigint NOT NULL
);

CREATE TABLE village_resource (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  village_code  text NOT NULL REFERENCES region(code),
  unit_id       bigint REFERENCES unit(id),
  kind          text NOT NULL,      -- policy resource_types
  title         text NOT NULL,
  amount        double precision,               -- yuan
  brought_on    text NOT NULL,
  plan_item_id  bigint REFERENCES plan_item(id),
  note          text NOT NULL DEFAULT '',
  recorded_by   bigint REFERENCES "user"(id),
  created_at    bigint NOT NULL
);

CREATE TABLE "handover" (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  adjustment_id          bigint REFERENCES adjustment(id),
  outgoing_assignment_id bigint NOT NULL REFERENCES assignment(id),
  incoming_assignment_id bigint NOT NULL REFERENCES assignment(id),
  starts_on              text NOT NULL,     -- day 1, both cadres hold the post
  ends_on                text NOT NULL,     -- day 15, the outgoing cadre's last day
  checklist              text NOT NULL,     -- JSON [{"item","done","by","at"}]
  completed_on           text,              -- set by the day's settle: the period has run
  confirmed_on           text,
  confirmed_by           bigint REFERENCES "user"(id)
);

CREATE TABLE vacancy (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  village_code  text NOT NULL REFERENCES region(code),
  post          text NOT NULL CHECK (post IN ('first_secretary','team_leader','team_member')),
  assignment_id bigint NOT NULL REFERENCES assignment(id),  -- the post that ended
  cause         text NOT NULL CHECK (cause IN ('term_end','rotation','adjustment','recall','replaced')),
  opened_on     text NOT NULL,   -- the first day without the post
  deadline      text NOT NULL,   -- opened_on + vacancy_fill_days
  filled_on     text,            -- the first day the successor held the post
  filled_by     bigint REFERENCES assignment(id),
  created_at    bigint NOT NULL
);

CREATE TABLE login_guard (
  username text NOT NULL,              -- as typed at login, known or not
  ip text NOT NULL,
  failures bigint NOT NULL DEFAULT 0, -- consecutive failures since the last success or lock
  locks bigint NOT NULL DEFAULT 0,    -- locks of this pair so far: the next lasts lockout_minutes × 2^locks
  locked_until bigint NOT NULL DEFAULT 0,
  last_at bigint NOT NULL,
  PRIMARY KEY (username, ip)
);

CREATE TABLE credential_proposal (
  user_id bigint PRIMARY KEY REFERENCES "user"(id),
  kind text NOT NULL CHECK (kind IN ('create', 'reset')),
  proposed_by bigint NOT NULL REFERENCES "user"(id),
  part_cipher bytea NOT NULL,   -- the proposer's part, vault-encrypted
  proposed_at bigint NOT NULL
);

CREATE TABLE password_history (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES "user"(id),
  password_hash text NOT NULL,
  replaced_at bigint NOT NULL
);

CREATE TABLE "obligation_evidence" (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  kind        text NOT NULL,
  party_type  text NOT NULL CHECK (party_type IN
               ('county','township','unit','unit_principal','unit_deputy','unit_hr','team','cadre','city','unit_team')),
  party_id    text NOT NULL,
  done_on     text NOT NULL,
  amount      double precision,
  record_type text NOT NULL,
  record_id   bigint NOT NULL,
  recorded_at bigint NOT NULL,
  revoked_at  bigint
);

CREATE TABLE village_profile_entry (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  village_code text NOT NULL REFERENCES region(code),
  field        text NOT NULL CHECK (field IN ('collective_income','population','industries','infrastructure',
                                              'committee','weak_points')),
  value        text NOT NULL,      -- JSON, the shape of the field (village_profile.h)
  as_of        text NOT NULL,      -- YYYY-MM-DD: the day the change took effect
  note         text NOT NULL DEFAULT '',
  recorded_by  bigint REFERENCES "user"(id),
  recorded_at  bigint NOT NULL
);

CREATE TABLE user_totp (
  user_id bigint PRIMARY KEY REFERENCES "user"(id),
  secret_cipher bytea NOT NULL,           -- vault: nonce || secretbox(base32 secret)
  created_at bigint NOT NULL,
  confirmed_at bigint NOT NULL DEFAULT 0,
  last_step bigint NOT NULL DEFAULT 0
);

CREATE TABLE user_recovery_code (
  user_id bigint NOT NULL REFERENCES "user"(id),
  code_hash bytea NOT NULL,               -- vault_lookup_hash("<user id>:<code>")
  used_at bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, code_hash)
);

CREATE TABLE login_pending (
  token_hash bytea PRIMARY KEY,           -- SHA-256 of the token handed to the browser, as for sessions
  user_id bigint NOT NULL REFERENCES "user"(id),
  username text NOT NULL,                -- as typed: the (name, address) pair of login_guard
  ip text NOT NULL,
  created_at bigint NOT NULL
);

CREATE TABLE evaluation_round (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  county_code   text NOT NULL REFERENCES region(code),
  kind          text NOT NULL CHECK (kind IN ('annual','term')),
  year          bigint NOT NULL,
  period_from   text NOT NULL,                 -- the year's first day
  period_to     text NOT NULL,                 -- its last day
  status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open','confirmed')),
  created_by    bigint REFERENCES "user"(id),   -- NULL: generated (demo)
  created_at    bigint NOT NULL,
  confirmed_by  bigint REFERENCES "user"(id),
  confirmed_at  bigint,
  excellent_cap bigint,                       -- at confirmation: the most 优秀 the cap allowed
  UNIQUE (county_code, kind, year)
);

CREATE TABLE evaluation (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  round_id        bigint NOT NULL REFERENCES evaluation_round(id),
  cadre_id        bigint NOT NULL REFERENCES cadre(id),
  assignment_id   bigint NOT NULL REFERENCES assignment(id),
  village_code    text NOT NULL REFERENCES region(code),
  unit_id         bigint NOT NULL REFERENCES unit(id),   -- the dispatching unit of the post
  post            text NOT NULL,
  term_start      text NOT NULL,
  term_end        text NOT NULL,
  version         bigint NOT NULL DEFAULT 1,
  report_text     text,                                   -- 述职: the cadre's draft, then what was submitted
  report_at       bigint,                                -- submitted
  votes           text,                                   -- 民主测评: JSON [{group, good, fair, average, poor}]
  votes_source    text CHECK (votes_source IN ('form','sheet')),
  votes_at        bigint, votes_by bigint REFERENCES "user"(id),
  township_opinion text, township_at bigint, township_by bigint REFERENCES "user"(id),
  unit_opinion    text, unit_at bigint, unit_by bigint REFERENCES "user"(id),
  result          text CHECK (result IN ('excellent','competent','basically_competent','incompetent')),
  result_comment  text, result_at bigint, result_by bigint REFERENCES "user"(id),
  UNIQUE (round_id, cadre_id)
);

CREATE TABLE review_note (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  item_kind   text NOT NULL CHECK (item_kind IN ('report', 'log')),
  item_id     bigint NOT NULL,
  cadre_id    bigint NOT NULL REFERENCES cadre(id),      -- the writer, for the monthly view
  action      text NOT NULL CHECK (action IN ('comment', 'return', 'accept', 'resubmit')),
  reader      text NOT NULL CHECK (reader IN ('township', 'unit', 'cadre')),
  user_id     bigint REFERENCES "user"(id),
  author      text NOT NULL,                              -- the user's name at the time
  revision    bigint NOT NULL,                           -- the version the act concerns
  text        text CHECK (text IS NULL OR length(text) BETWEEN 1 AND 2000),
  created_at  bigint NOT NULL,
  CHECK (action NOT IN ('comment', 'return') OR text IS NOT NULL)
);

CREATE TABLE review_version (
  item_kind   text NOT NULL CHECK (item_kind IN ('report', 'log')),
  item_id     bigint NOT NULL,
  revision    bigint NOT NULL,
  text        text NOT NULL,
  written_at  bigint NOT NULL,                           -- when this version was sent
  PRIMARY KEY (item_kind, item_id, revision)
);

CREATE TABLE upward_report (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  region_code   text NOT NULL REFERENCES region(code),  -- the reporting township or county
  receiver_code text NOT NULL REFERENCES region(code),  -- the level above: its county, or the city
  kind          text NOT NULL CHECK (kind IN ('monthly','half_year','annual')),
  period        text NOT NULL,                          -- 2026-05 | 2026-H1 | 2026
  period_from   text NOT NULL,                          -- ISO dates, inclusive
  period_to     text NOT NULL,
  status        text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','submitted','received','returned')),
  version       bigint NOT NULL DEFAULT 1,
  work_text     text NOT NULL DEFAULT '',               -- 工作开展情况
  problems_text text NOT NULL DEFAULT '',               -- 存在问题
  plans_text    text NOT NULL DEFAULT '',               -- 下步打算
  figures       text,                                   -- the snapshot frozen at submission (JSON)
  return_reason text,
  created_by    bigint REFERENCES "user"(id),            -- NULL: generated (demo)
  created_at    bigint NOT NULL,
  updated_at    bigint NOT NULL,
  submitted_by  bigint REFERENCES "user"(id), submitted_at bigint,
  received_by   bigint REFERENCES "user"(id), received_at  bigint,
  returned_by   bigint REFERENCES "user"(id), returned_at  bigint,
  UNIQUE (region_code, kind, period)
);

CREATE TABLE allowance_sheet (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  unit_id       bigint NOT NULL REFERENCES unit(id),
  month         text NOT NULL CHECK (length(month) = 7),    -- 'YYYY-MM'
  status        text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'confirmed')),
  version       bigint NOT NULL DEFAULT 1,
  rules         text NOT NULL,                             -- the formula used (JSON of allowance_rules)
  min_days      bigint NOT NULL,                          -- min_days_in_village_per_month used (2.1)
  counted_to    text NOT NULL,                             -- the last day counted ('YYYY-MM-DD')
  drafted_by    bigint REFERENCES "user"(id),               -- NULL: drafted by the server
  drafted_at    bigint NOT NULL,
  confirmed_by  bigint REFERENCES "user"(id),
  confirmed_at  bigint,
  doc_no        text,                                      -- the ledger's 文号 of the confirmed sheet
  UNIQUE (unit_id, month),
  CHECK ((status = 'confirmed') = (confirmed_at IS NOT NULL))
);

CREATE TABLE allowance_line (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  sheet_id            bigint NOT NULL REFERENCES allowance_sheet(id),
  assignment_id       bigint NOT NULL REFERENCES assignment(id),
  cadre_id            bigint NOT NULL REFERENCES cadre(id),
  village_code        text NOT NULL REFERENCES region(code),
  period_days         bigint NOT NULL,
  days_in_village     bigint NOT NULL,
  leave_days          bigint NOT NULL,
  required_days       bigint NOT NULL,
  meets_minimum       bigint NOT NULL,
  living_computed     bigint NOT NULL CHECK (living_computed >= 0),     -- fen, by the formula
  transport_computed  bigint NOT NULL CHECK (transport_computed >= 0),
  living_adjusted     bigint CHECK (living_adjusted >= 0),              -- fen, set by the unit; NULL: none
  transport_adjusted  bigint CHECK (transport_adjusted >= 0),
  adjust_reason       text,
  adjusted_by         bigint REFERENCES "user"(id),
  adjusted_at         bigint,
  living_entry_id     bigint REFERENCES fund_entry(id),  -- the ledger rows written on confirmation
  transport_entry_id  bigint REFERENCES fund_entry(id),
  UNIQUE (sheet_id, assignment_id),
  CHECK ((living_adjusted IS NULL AND transport_adjusted IS NULL) OR adjust_reason IS NOT NULL)
);

CREATE TABLE notification_event (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  kind        text NOT NULL,            -- leave_pending, leave_decided, ...
  title       text NOT NULL,
  body        text NOT NULL,
  link        text NOT NULL DEFAULT '', -- the page in the web UI, e.g. /leaves
  region_code text,                     -- where it happened: which channels carry it
  entity      text NOT NULL DEFAULT '',
  entity_id   text NOT NULL DEFAULT '',
  created_at  bigint NOT NULL
);

CREATE TABLE notification (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  event_id  bigint NOT NULL REFERENCES notification_event(id),
  user_id   bigint NOT NULL REFERENCES "user"(id),
  read_at   bigint,
  UNIQUE (event_id, user_id)
);

CREATE TABLE "notification_channel" (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  kind           text NOT NULL CHECK (kind IN ('dingtalk','wecom','sms','wecom_app')),
  name           text NOT NULL,
  region_code    text REFERENCES region(code),
  webhook_sealed bytea NOT NULL,
  secret_sealed  bytea,
  webhook_hint   text NOT NULL,
  enabled        bigint NOT NULL DEFAULT 1,
  created_at     bigint NOT NULL,
  updated_at     bigint NOT NULL,
  config         text NOT NULL DEFAULT '{}'
);

CREATE TABLE outbox (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  event_id     bigint NOT NULL REFERENCES notification_event(id),
  channel_id   bigint NOT NULL REFERENCES notification_channel(id),
  idem_key     text NOT NULL UNIQUE,
  status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sent','dead')),
  attempts     bigint NOT NULL DEFAULT 0,
  next_at      bigint NOT NULL,
  last_error   text NOT NULL DEFAULT '',
  sent_at      bigint,
  created_at   bigint NOT NULL
, user_id bigint REFERENCES "user"(id));

CREATE TABLE notification_settings (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY CHECK (id = 1),
  max_attempts       bigint NOT NULL DEFAULT 8,
  backoff_seconds    bigint NOT NULL DEFAULT 30,   -- the first retry; doubled each time
  backoff_max_seconds bigint NOT NULL DEFAULT 3600,
  timeout_seconds    bigint NOT NULL DEFAULT 10,   -- one request, connection included
  quiet_start        text NOT NULL DEFAULT '22:00', -- robots hold messages from here (China Standard Time)
  quiet_end          text NOT NULL DEFAULT '07:00'  -- until here ('' both: no quiet hours)
, digest_time text NOT NULL DEFAULT '08:00', user_limit bigint NOT NULL DEFAULT 0, user_window_seconds bigint NOT NULL DEFAULT 3600, channel_limit bigint NOT NULL DEFAULT 0, channel_window_seconds bigint NOT NULL DEFAULT 60);
-- the one row of settings (SQLite's 110 inserts it; the outbox's settings are read and updated, never inserted)
INSERT INTO notification_settings (id) VALUES (1);

CREATE TABLE notification_pref (
  user_id  bigint NOT NULL REFERENCES "user"(id),
  kind     text NOT NULL,
  robots   bigint NOT NULL CHECK (robots IN (0, 1)), sms bigint NOT NULL DEFAULT 1 CHECK (sms IN (0, 1)), wecom_app bigint NOT NULL DEFAULT 1 CHECK (wecom_app IN (0, 1)), digest bigint NOT NULL DEFAULT 0 CHECK (digest IN (0, 1)),
  PRIMARY KEY (user_id, kind)
);

CREATE TABLE api_token (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  name         text NOT NULL,
  region_code  text NOT NULL REFERENCES region(code),
  perms        text NOT NULL,
  token_hash   text NOT NULL UNIQUE,
  token_hint   text NOT NULL,               -- "zc_1a2b…": the first characters, to tell tokens apart
  expires_at   bigint NOT NULL,
  created_by   bigint NOT NULL REFERENCES "user"(id),
  created_at   bigint NOT NULL,
  last_used_at bigint,
  revoked_at   bigint,
  revoked_by   bigint REFERENCES "user"(id)
);

CREATE TABLE webhook (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  name          text NOT NULL,
  url_sealed    bytea NOT NULL,
  url_hint      text NOT NULL,
  secret_sealed bytea NOT NULL,
  events        text NOT NULL,                 -- ",leave_pending,case_decided,"
  region_code   text REFERENCES region(code),  -- NULL: every region
  enabled       bigint NOT NULL DEFAULT 1,
  created_at    bigint NOT NULL,
  updated_at    bigint NOT NULL
);

CREATE TABLE webhook_delivery (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  webhook_id  bigint NOT NULL REFERENCES webhook(id),
  event       text NOT NULL,
  body        text NOT NULL,                   -- {id, event, occurred_at, region_code, data}
  idem_key    text NOT NULL UNIQUE,
  status      text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sent','dead')),
  attempts    bigint NOT NULL DEFAULT 0,
  next_at     bigint NOT NULL,
  last_error  text NOT NULL DEFAULT '',
  sent_at     bigint,
  created_at  bigint NOT NULL
);

CREATE TABLE notification_key (
  kind     text NOT NULL,
  object   text NOT NULL,
  day      text NOT NULL,
  event_id bigint REFERENCES notification_event(id),
  PRIMARY KEY (kind, object, day)
);

CREATE TABLE notification_digest (
  notification_id bigint PRIMARY KEY REFERENCES notification(id),
  user_id         bigint NOT NULL REFERENCES "user"(id),
  created_at      bigint NOT NULL,
  digested_day    text                -- 'YYYY-MM-DD' of the digest that gathered it; NULL: waiting
);

CREATE TABLE post_day (
  assignment_id     bigint NOT NULL,
  date              text NOT NULL,     -- CST date, as checkin.date
  cadre_id          bigint NOT NULL,
  village_code      text NOT NULL,
  acts              bigint NOT NULL,  -- check-ins of the post that day
  in_fence_acts     bigint NOT NULL,
  outside_acts      bigint NOT NULL,
  outside_reasoned  bigint NOT NULL,  -- outside the fence with the cadre's reason
  first_in_at       bigint,           -- unix seconds of the first and last act inside the fence
  last_in_at        bigint,
  PRIMARY KEY (assignment_id, date)
);

CREATE TABLE checkin_month_days (
  cadre_id bigint NOT NULL,
  month    text NOT NULL,     -- YYYY-MM (China Standard Time, as checkin.date)
  days     bigint NOT NULL,  -- bit d-1 set: an in-village act on day d; never 0
  PRIMARY KEY (cadre_id, month)
);

CREATE TABLE household_visit_month (
  village_code text NOT NULL,
  monitored    bigint NOT NULL,
  month        text NOT NULL,     -- YYYY-MM of household.last_visit_on, '' when never visited
  n            bigint NOT NULL,  -- households; never 0
  PRIMARY KEY (village_code, monitored, month)
);

CREATE TABLE post_month (
  assignment_id bigint NOT NULL,
  month         text NOT NULL,   -- YYYY-MM
  days          text NOT NULL,   -- 31 × 9 characters, as above
  PRIMARY KEY (assignment_id, month)
);

CREATE TABLE visit_month_first (
  village_code text NOT NULL,     -- the household's village
  month        text NOT NULL,     -- YYYY-MM with a visit
  monitored    bigint NOT NULL,
  prev_month   text NOT NULL,     -- the household's previous month with a visit, '' when none
  n            bigint NOT NULL,  -- households; never 0
  PRIMARY KEY (village_code, month, monitored, prev_month)
);

CREATE TABLE day_settled (
  stage      text PRIMARY KEY CHECK (stage IN ('posts', 'notices', 'allowance')),
  day        bigint NOT NULL,   -- yyyymmdd
  settled_at bigint NOT NULL    -- unix seconds of the instant the stage settled it
);

CREATE TABLE cadre_scope (
  path     text NOT NULL,     -- '/36/' or '/36/3607/': a province's or a city's region path
  cadre_id bigint NOT NULL,
  PRIMARY KEY (path, cadre_id)
);

ALTER TABLE assignment ADD FOREIGN KEY (adjustment_id) REFERENCES adjustment(id);
-- indexes
CREATE INDEX region_parent ON region(parent_code);
CREATE INDEX region_history_code ON region_history(code);
CREATE UNIQUE INDEX unit_name ON unit(region_code, name);
CREATE INDEX unit_region ON unit(region_code);
CREATE INDEX unit_parent ON unit(parent_id);
CREATE INDEX cadre_unit ON cadre(unit_id);
CREATE INDEX cadre_village ON cadre(village_code);
CREATE INDEX "session_user" ON session(user_id);
CREATE INDEX audit_action ON audit(action);
CREATE INDEX cadre_sanction_cadre ON cadre_sanction(cadre_id);
CREATE UNIQUE INDEX adjustment_one_open ON adjustment(outgoing_assignment_id) WHERE status IN ('open','nominated','handover');
CREATE INDEX assignment_event_assignment ON assignment_event(assignment_id);
CREATE UNIQUE INDEX checkin_client ON checkin(cadre_id, client_id);
CREATE INDEX checkin_cadre_date ON checkin(cadre_id, date);
CREATE INDEX checkin_village_date ON checkin(village_code, date);
CREATE INDEX leave_cadre ON leave(cadre_id, start_date);
CREATE INDEX leave_status ON leave(status);
CREATE INDEX checkin_cadre_at ON checkin(cadre_id, at);
CREATE INDEX violation_cadre ON violation(cadre_id, date);
CREATE INDEX violation_unit ON violation(unit_id, date);
CREATE INDEX secondment_cadre ON secondment(cadre_id, start_date);
CREATE INDEX secondment_unit ON secondment(unit_id, start_date);
CREATE INDEX reminder_cadre ON reminder(cadre_id, created_at);
CREATE INDEX work_report_village ON work_report(village_code, period_to);
CREATE INDEX work_report_unit ON work_report(unit_id, period_to);
CREATE INDEX period_unlock_month ON period_unlock(month, region_code);
CREATE INDEX supervision_record_region ON supervision_record(region_code, date);
CREATE INDEX supervision_record_unit ON supervision_record(unit_id, date);
CREATE UNIQUE INDEX supervision_record_once ON supervision_record(kind, party_id, date, coalesce(village_code, ''))
  WHERE status = 'valid';
CREATE UNIQUE INDEX household_no ON household(village_code, household_no);
CREATE INDEX household_category ON household(category, monitored);
CREATE INDEX household_village ON household(village_code, status, category, monitored, last_visit_on);
CREATE INDEX household_member_household ON household_member(household_id);
CREATE INDEX household_member_lookup ON household_member(id_lookup, removed_at, household_id);
CREATE UNIQUE INDEX household_member_once ON household_member(household_id, id_lookup);
CREATE INDEX household_history_household ON household_history(household_id, at);
CREATE UNIQUE INDEX visit_client ON visit(cadre_id, client_id);
CREATE INDEX visit_household ON visit(household_id, visited_on);
CREATE UNIQUE INDEX fund_entry_doc ON fund_entry(doc_no, village_code, kind, coalesce(cadre_id, 0))
  WHERE withdrawn_at IS NULL;
CREATE INDEX fund_entry_team ON fund_entry(village_code, kind, paid_on);
CREATE UNIQUE INDEX insurance_policy_no ON insurance_policy(insurer, policy_no, village_code) WHERE withdrawn_at IS NULL;
CREATE INDEX insurance_policy_team ON insurance_policy(village_code, year);
CREATE INDEX insurance_cover_cadre ON insurance_cover(cadre_id);
CREATE UNIQUE INDEX training_event_doc ON training_event(doc_no) WHERE doc_no IS NOT NULL AND withdrawn_at IS NULL;
CREATE INDEX training_event_organizer ON training_event(organizer_code, start_date);
CREATE UNIQUE INDEX training_participant_cadre ON training_participant(event_id, cadre_id) WHERE cadre_id IS NOT NULL;
CREATE INDEX training_participant_of_cadre ON training_participant(cadre_id, event_id);
CREATE UNIQUE INDEX commendation_doc ON commendation(doc_no, subject, coalesce(cadre_id, unit_id))
  WHERE withdrawn_at IS NULL;
CREATE INDEX commendation_cadre ON commendation(cadre_id);
CREATE INDEX commendation_unit ON commendation(unit_id);
CREATE INDEX case_step_case ON case_step(case_id, id);
CREATE INDEX case_measure_case ON case_measure(case_id);
CREATE UNIQUE INDEX monitoring_meeting_month ON monitoring_meeting(village_code, month) WHERE status = 'held';
CREATE INDEX village_activity_village ON village_activity(village_code, held_on);
CREATE UNIQUE INDEX assistance_plan_year ON assistance_plan(village_code, year);
CREATE INDEX plan_item_plan ON plan_item(plan_id, seq);
CREATE INDEX plan_event_plan ON plan_event(plan_id, id);
CREATE INDEX plan_progress_item ON plan_progress(item_id, on_date);
CREATE INDEX village_resource_village ON village_resource(village_code, brought_on);
CREATE INDEX assignment_village ON assignment(village_code, status);
CREATE INDEX assignment_cadre ON assignment(cadre_id, status);
CREATE INDEX assignment_status ON assignment(status, approval_region);
CREATE INDEX assignment_ends ON assignment(term_end) WHERE status IN ('active','handover');
CREATE UNIQUE INDEX assignment_one_live ON assignment(cadre_id) WHERE status IN ('pending','approved','active','handover');
CREATE INDEX handover_outgoing ON handover(outgoing_assignment_id);
CREATE INDEX handover_incoming ON handover(incoming_assignment_id);
CREATE UNIQUE INDEX vacancy_one_per_post ON vacancy(assignment_id);
CREATE INDEX vacancy_open ON vacancy(village_code, post) WHERE filled_on IS NULL;
CREATE INDEX login_guard_last ON login_guard(last_at);
CREATE INDEX password_history_user ON password_history(user_id, id);
CREATE INDEX obligation_evidence_party ON obligation_evidence(kind, party_type, party_id, done_on);
CREATE INDEX obligation_evidence_record ON obligation_evidence(record_type, record_id);
CREATE INDEX obligation_evidence_date ON obligation_evidence(kind, done_on);
CREATE INDEX obligation_evidence_engine ON obligation_evidence(kind, party_type, party_id, done_on, recorded_at, amount)
  WHERE revoked_at IS NULL;
CREATE INDEX village_profile_entry_field ON village_profile_entry(village_code, field, as_of, id);
CREATE INDEX monitoring_case_village ON monitoring_case(village_code, state);
CREATE INDEX monitoring_case_household ON monitoring_case(household_id);
CREATE INDEX login_pending_created ON login_pending(created_at);
CREATE INDEX evaluation_round_village ON evaluation(round_id, village_code);
CREATE INDEX evaluation_cadre ON evaluation(cadre_id);
CREATE INDEX evaluation_unit ON evaluation(unit_id);
CREATE INDEX review_note_item ON review_note(item_kind, item_id, id);
CREATE INDEX review_note_cadre ON review_note(cadre_id, created_at);
CREATE INDEX work_report_review ON work_report(review_state, village_code);
CREATE INDEX work_log_review ON work_log(cadre_id, review_state);
CREATE INDEX upward_report_receiver ON upward_report(receiver_code, kind, period);
CREATE INDEX allowance_sheet_status ON allowance_sheet(status, month);
CREATE INDEX allowance_line_cadre ON allowance_line(cadre_id, sheet_id);
CREATE INDEX notification_by_user ON notification(user_id, read_at, id);
CREATE INDEX outbox_due ON outbox(status, next_at);
CREATE INDEX webhook_delivery_due ON webhook_delivery(status, next_at);
CREATE INDEX notification_digest_waiting ON notification_digest(user_id, created_at) WHERE digested_day IS NULL;
CREATE INDEX post_day_cadre_date ON post_day(cadre_id, date);
CREATE INDEX work_log_cadre_date_duty ON work_log(cadre_id, date, duty);
CREATE INDEX visit_village_household ON visit(village_code, visited_on, household_id);
CREATE INDEX cadre_scope_cadre ON cadre_scope(cadre_id);

-- views
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

CREATE VIEW cadre_place (cadre_id, place) AS
  SELECT c.id, v.path FROM cadre c JOIN region v ON v.code = c.village_code
  UNION ALL
  SELECT c.id, r.path FROM cadre c JOIN unit u ON u.id = c.unit_id JOIN region r ON r.code = u.region_code;

CREATE VIEW cadre_scope_rows (path, cadre_id) AS
  SELECT substr(place, 1, instr(substr(place, 2), '/') + 1), cadre_id FROM cadre_place
  UNION ALL
  SELECT substr(place, 1, instr(substr(place, 2), '/') + 1 + instr(substr(place, instr(substr(place, 2), '/') + 2), '/')),
         cadre_id FROM cadre_place;

-- triggers
CREATE FUNCTION audit_no_delete_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit rows are append-only';
  RETURN OLD;
END $$;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_no_delete_fn();

CREATE FUNCTION audit_no_update_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit rows are append-only';
  RETURN NEW;
END $$;
CREATE TRIGGER audit_no_update BEFORE UPDATE OF id, at, user_id, username, action, entity, entity_id, ip, detail, prev_hash, hash ON audit FOR EACH ROW EXECUTE FUNCTION audit_no_update_fn();

CREATE FUNCTION audit_mac_once_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT (OLD.mac IS NOT NULL) THEN RETURN NEW; END IF;
  RAISE EXCEPTION 'audit rows are append-only';
  RETURN NEW;
END $$;
CREATE TRIGGER audit_mac_once BEFORE UPDATE OF mac ON audit FOR EACH ROW EXECUTE FUNCTION audit_mac_once_fn();

CREATE FUNCTION post_day_insert_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO post_day (assignment_id, date, cadre_id, village_code, acts, in_fence_acts, outside_acts,
                          outside_reasoned, first_in_at, last_in_at)
    VALUES (NEW.assignment_id, NEW.date, NEW.cadre_id, NEW.village_code, 1, (NEW.in_fence <> 0)::int, (NEW.in_fence = 0)::int,
            (NEW.in_fence = 0 AND coalesce(NEW.reason, '') <> '')::int, CASE WHEN NEW.in_fence <> 0 THEN NEW.at END,
            CASE WHEN NEW.in_fence <> 0 THEN NEW.at END)
    ON CONFLICT (assignment_id, date) DO UPDATE SET acts = post_day.acts + 1,
      in_fence_acts = post_day.in_fence_acts + excluded.in_fence_acts, outside_acts = post_day.outside_acts + excluded.outside_acts,
      outside_reasoned = post_day.outside_reasoned + excluded.outside_reasoned,
      first_in_at = coalesce(min(post_day.first_in_at, excluded.first_in_at), post_day.first_in_at, excluded.first_in_at),
      last_in_at = coalesce(max(post_day.last_in_at, excluded.last_in_at), post_day.last_in_at, excluded.last_in_at);
  RETURN NULL;
END $$;
CREATE TRIGGER post_day_insert AFTER INSERT ON checkin FOR EACH ROW EXECUTE FUNCTION post_day_insert_fn();

CREATE FUNCTION post_day_delete_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM post_day WHERE assignment_id = OLD.assignment_id AND date = OLD.date;
  INSERT INTO post_day (assignment_id, date, cadre_id, village_code, acts, in_fence_acts, outside_acts,
                          outside_reasoned, first_in_at, last_in_at)
    SELECT assignment_id, date, min(cadre_id), min(village_code), count(*), sum(in_fence <> 0), sum(in_fence = 0),
           sum(in_fence = 0 AND coalesce(reason, '') <> ''),
           min(CASE WHEN in_fence <> 0 THEN at END), max(CASE WHEN in_fence <> 0 THEN at END)
      FROM checkin WHERE cadre_id = OLD.cadre_id AND date = OLD.date AND assignment_id = OLD.assignment_id
     GROUP BY assignment_id, date;
  RETURN NULL;
END $$;
CREATE TRIGGER post_day_delete AFTER DELETE ON checkin FOR EACH ROW EXECUTE FUNCTION post_day_delete_fn();

CREATE FUNCTION post_day_update_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM post_day WHERE (assignment_id = OLD.assignment_id AND date = OLD.date)
                            OR (assignment_id = NEW.assignment_id AND date = NEW.date);
  INSERT INTO post_day (assignment_id, date, cadre_id, village_code, acts, in_fence_acts, outside_acts,
                          outside_reasoned, first_in_at, last_in_at)
    SELECT assignment_id, date, min(cadre_id), min(village_code), count(*), sum(in_fence <> 0), sum(in_fence = 0),
           sum(in_fence = 0 AND coalesce(reason, '') <> ''),
           min(CASE WHEN in_fence <> 0 THEN at END), max(CASE WHEN in_fence <> 0 THEN at END)
      FROM checkin WHERE (cadre_id = OLD.cadre_id AND date = OLD.date AND assignment_id = OLD.assignment_id)
                      OR (cadre_id = NEW.cadre_id AND date = NEW.date AND assignment_id = NEW.assignment_id)
     GROUP BY assignment_id, date;
  RETURN NULL;
END $$;
CREATE TRIGGER post_day_update AFTER UPDATE ON checkin FOR EACH ROW EXECUTE FUNCTION post_day_update_fn();

CREATE FUNCTION checkin_month_days_insert_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT (NEW.in_fence = 1) THEN RETURN NULL; END IF;
  INSERT INTO checkin_month_days (cadre_id, month, days)
      VALUES (NEW.cadre_id, substr(NEW.date, 1, 7), 1 << (CAST(substr(NEW.date, 9, 2) AS INTEGER) - 1))
      ON CONFLICT (cadre_id, month) DO UPDATE SET days = checkin_month_days.days | excluded.days;
  RETURN NULL;
END $$;
CREATE TRIGGER checkin_month_days_insert AFTER INSERT ON checkin FOR EACH ROW EXECUTE FUNCTION checkin_month_days_insert_fn();

CREATE FUNCTION checkin_month_days_delete_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT (OLD.in_fence = 1) THEN RETURN NULL; END IF;
  UPDATE checkin_month_days SET days = (SELECT coalesce(sum(DISTINCT 1 << (CAST(substr(k.date, 9, 2) AS INTEGER) - 1)), 0)
        FROM checkin k WHERE k.cadre_id = OLD.cadre_id AND k.in_fence = 1
        AND k.date >= substr(OLD.date, 1, 7) || '-01' AND k.date <= substr(OLD.date, 1, 7) || '-31')
      WHERE cadre_id = OLD.cadre_id AND month = substr(OLD.date, 1, 7);
  DELETE FROM checkin_month_days WHERE cadre_id = OLD.cadre_id AND month = substr(OLD.date, 1, 7) AND days = 0;
  RETURN NULL;
END $$;
CREATE TRIGGER checkin_month_days_delete AFTER DELETE ON checkin FOR EACH ROW EXECUTE FUNCTION checkin_month_days_delete_fn();

CREATE FUNCTION checkin_month_days_update_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE checkin_month_days SET days = (SELECT coalesce(sum(DISTINCT 1 << (CAST(substr(k.date, 9, 2) AS INTEGER) - 1)), 0)
        FROM checkin k WHERE k.cadre_id = OLD.cadre_id AND k.in_fence = 1
        AND k.date >= substr(OLD.date, 1, 7) || '-01' AND k.date <= substr(OLD.date, 1, 7) || '-31')
      WHERE cadre_id = OLD.cadre_id AND month = substr(OLD.date, 1, 7);
  DELETE FROM checkin_month_days WHERE cadre_id = OLD.cadre_id AND month = substr(OLD.date, 1, 7) AND days = 0;
  INSERT INTO checkin_month_days (cadre_id, month, days)
      SELECT NEW.cadre_id, substr(NEW.date, 1, 7), 1 << (CAST(substr(NEW.date, 9, 2) AS INTEGER) - 1)
      WHERE NEW.in_fence = 1
      ON CONFLICT (cadre_id, month) DO UPDATE SET days = checkin_month_days.days | excluded.days;
  RETURN NULL;
END $$;
CREATE TRIGGER checkin_month_days_update AFTER UPDATE OF cadre_id, date, in_fence ON checkin FOR EACH ROW EXECUTE FUNCTION checkin_month_days_update_fn();

CREATE FUNCTION household_visit_month_insert_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT (NEW.status = 'active' AND (NEW.monitored = 1 OR NEW.category = 'alleviated')) THEN RETURN NULL; END IF;
  INSERT INTO household_visit_month (village_code, monitored, month, n)
      VALUES (NEW.village_code, NEW.monitored, coalesce(substr(NEW.last_visit_on, 1, 7), ''), 1)
      ON CONFLICT (village_code, monitored, month) DO UPDATE SET n = household_visit_month.n + 1;
  RETURN NULL;
END $$;
CREATE TRIGGER household_visit_month_insert AFTER INSERT ON household FOR EACH ROW EXECUTE FUNCTION household_visit_month_insert_fn();

CREATE FUNCTION household_visit_month_delete_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT (OLD.status = 'active' AND (OLD.monitored = 1 OR OLD.category = 'alleviated')) THEN RETURN NULL; END IF;
  UPDATE household_visit_month SET n = n - 1 WHERE village_code = OLD.village_code AND monitored = OLD.monitored
      AND month = coalesce(substr(OLD.last_visit_on, 1, 7), '');
  DELETE FROM household_visit_month WHERE village_code = OLD.village_code AND monitored = OLD.monitored
      AND month = coalesce(substr(OLD.last_visit_on, 1, 7), '') AND n <= 0;
  RETURN NULL;
END $$;
CREATE TRIGGER household_visit_month_delete AFTER DELETE ON household FOR EACH ROW EXECUTE FUNCTION household_visit_month_delete_fn();

CREATE FUNCTION household_visit_month_update_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT ((OLD.status = 'active' AND (OLD.monitored = 1 OR OLD.category = 'alleviated'))
  OR (NEW.status = 'active' AND (NEW.monitored = 1 OR NEW.category = 'alleviated'))) THEN RETURN NULL; END IF;
  UPDATE household_visit_month SET n = n - 1 WHERE village_code = OLD.village_code AND monitored = OLD.monitored
      AND month = coalesce(substr(OLD.last_visit_on, 1, 7), '')
      AND OLD.status = 'active' AND (OLD.monitored = 1 OR OLD.category = 'alleviated');
  DELETE FROM household_visit_month WHERE village_code = OLD.village_code AND monitored = OLD.monitored
      AND month = coalesce(substr(OLD.last_visit_on, 1, 7), '') AND n <= 0;
  INSERT INTO household_visit_month (village_code, monitored, month, n)
      SELECT NEW.village_code, NEW.monitored, coalesce(substr(NEW.last_visit_on, 1, 7), ''), 1
      WHERE NEW.status = 'active' AND (NEW.monitored = 1 OR NEW.category = 'alleviated')
      ON CONFLICT (village_code, monitored, month) DO UPDATE SET n = household_visit_month.n + 1;
  RETURN NULL;
END $$;
CREATE TRIGGER household_visit_month_update AFTER UPDATE OF village_code, status, category, monitored, last_visit_on ON household FOR EACH ROW EXECUTE FUNCTION household_visit_month_update_fn();

CREATE FUNCTION post_month_insert_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO post_month (assignment_id, month, days)
    SELECT NEW.assignment_id, substr(NEW.date, 1, 7),
           substr(e, 1, k) || s || substr(e, k + 10)
      FROM (SELECT repeat('099999999', 31) AS e,
                   (CAST(substr(NEW.date, 9, 2) AS INTEGER) - 1) * 9 AS k,
                   (1 + (NEW.in_fence_acts > 0)::int + 2 * (NEW.outside_reasoned > 0)::int)::text
                   || lpad(coalesce((NEW.first_in_at + 28800) % 86400 / 60, 9999)::text, 4, '0')
                   || lpad(coalesce((NEW.last_in_at + 28800) % 86400 / 60, 9999)::text, 4, '0') AS s) AS d
     WHERE true
    ON CONFLICT (assignment_id, month) DO UPDATE
      SET days = substr(post_month.days, 1, (CAST(substr(NEW.date, 9, 2) AS INTEGER) - 1) * 9)
                 || substr(excluded.days, (CAST(substr(NEW.date, 9, 2) AS INTEGER) - 1) * 9 + 1, 9)
                 || substr(post_month.days, (CAST(substr(NEW.date, 9, 2) AS INTEGER) - 1) * 9 + 10);
  RETURN NULL;
END $$;
CREATE TRIGGER post_month_insert AFTER INSERT ON post_day FOR EACH ROW EXECUTE FUNCTION post_month_insert_fn();

CREATE FUNCTION post_month_delete_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE post_month
       SET days = substr(days, 1, (CAST(substr(OLD.date, 9, 2) AS INTEGER) - 1) * 9) || '099999999'
                  || substr(days, (CAST(substr(OLD.date, 9, 2) AS INTEGER) - 1) * 9 + 10)
     WHERE assignment_id = OLD.assignment_id AND month = substr(OLD.date, 1, 7);
  DELETE FROM post_month WHERE assignment_id = OLD.assignment_id AND month = substr(OLD.date, 1, 7)
       AND days = repeat('099999999', 31);
  RETURN NULL;
END $$;
CREATE TRIGGER post_month_delete AFTER DELETE ON post_day FOR EACH ROW EXECUTE FUNCTION post_month_delete_fn();

CREATE FUNCTION post_month_same_day_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT (OLD.assignment_id = NEW.assignment_id AND OLD.date = NEW.date) THEN RETURN NULL; END IF;
  UPDATE post_month
       SET days = substr(days, 1, (CAST(substr(NEW.date, 9, 2) AS INTEGER) - 1) * 9)
                  || (1 + (NEW.in_fence_acts > 0)::int + 2 * (NEW.outside_reasoned > 0)::int)::text
                   || lpad(coalesce((NEW.first_in_at + 28800) % 86400 / 60, 9999)::text, 4, '0')
                   || lpad(coalesce((NEW.last_in_at + 28800) % 86400 / 60, 9999)::text, 4, '0')
                  || substr(days, (CAST(substr(NEW.date, 9, 2) AS INTEGER) - 1) * 9 + 10)
     WHERE assignment_id = NEW.assignment_id AND month = substr(NEW.date, 1, 7);
  RETURN NULL;
END $$;
CREATE TRIGGER post_month_same_day AFTER UPDATE ON post_day FOR EACH ROW EXECUTE FUNCTION post_month_same_day_fn();

CREATE FUNCTION post_month_update_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT (OLD.assignment_id <> NEW.assignment_id OR OLD.date <> NEW.date) THEN RETURN NULL; END IF;
  UPDATE post_month
       SET days = substr(days, 1, (CAST(substr(OLD.date, 9, 2) AS INTEGER) - 1) * 9) || '099999999'
                  || substr(days, (CAST(substr(OLD.date, 9, 2) AS INTEGER) - 1) * 9 + 10)
     WHERE assignment_id = OLD.assignment_id AND month = substr(OLD.date, 1, 7);
  DELETE FROM post_month WHERE assignment_id = OLD.assignment_id AND month = substr(OLD.date, 1, 7)
       AND days = repeat('099999999', 31);
  INSERT INTO post_month (assignment_id, month, days)
    SELECT NEW.assignment_id, substr(NEW.date, 1, 7),
           substr(e, 1, k) || s || substr(e, k + 10)
      FROM (SELECT repeat('099999999', 31) AS e,
                   (CAST(substr(NEW.date, 9, 2) AS INTEGER) - 1) * 9 AS k,
                   (1 + (NEW.in_fence_acts > 0)::int + 2 * (NEW.outside_reasoned > 0)::int)::text
                   || lpad(coalesce((NEW.first_in_at + 28800) % 86400 / 60, 9999)::text, 4, '0')
                   || lpad(coalesce((NEW.last_in_at + 28800) % 86400 / 60, 9999)::text, 4, '0') AS s) AS d
     WHERE true
    ON CONFLICT (assignment_id, month) DO UPDATE
      SET days = substr(post_month.days, 1, (CAST(substr(NEW.date, 9, 2) AS INTEGER) - 1) * 9)
                 || substr(excluded.days, (CAST(substr(NEW.date, 9, 2) AS INTEGER) - 1) * 9 + 1, 9)
                 || substr(post_month.days, (CAST(substr(NEW.date, 9, 2) AS INTEGER) - 1) * 9 + 10);
  RETURN NULL;
END $$;
CREATE TRIGGER post_month_update AFTER UPDATE ON post_day FOR EACH ROW EXECUTE FUNCTION post_month_update_fn();

CREATE FUNCTION visit_month_first_insert_before_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT (NOT EXISTS (SELECT 1 FROM visit o WHERE o.household_id = NEW.household_id
                 AND o.visited_on >= substr(NEW.visited_on, 1, 7) || '-01' AND o.visited_on <= substr(NEW.visited_on, 1, 7) || '-99')) THEN RETURN NEW; END IF;
  INSERT INTO visit_month_first (village_code, month, monitored, prev_month, n)
      SELECT h.village_code, m.month, h.monitored, coalesce(lag(m.month) OVER (ORDER BY m.month), ''), -1
      FROM (SELECT DISTINCT substr(visited_on, 1, 7) AS month FROM visit WHERE household_id = NEW.household_id) m
      JOIN household h ON h.id = NEW.household_id
      WHERE h.status = 'active' AND (h.monitored = 1 OR h.category = 'alleviated')
      ON CONFLICT (village_code, month, monitored, prev_month) DO UPDATE SET n = visit_month_first.n + excluded.n;
  DELETE FROM visit_month_first WHERE n <= 0 AND village_code = (SELECT village_code FROM household WHERE id = NEW.household_id);
  RETURN NEW;
END $$;
CREATE TRIGGER visit_month_first_insert_before BEFORE INSERT ON visit FOR EACH ROW EXECUTE FUNCTION visit_month_first_insert_before_fn();

CREATE FUNCTION visit_month_first_insert_after_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT (NOT EXISTS (SELECT 1 FROM visit o WHERE o.household_id = NEW.household_id AND o.id <> NEW.id
                 AND o.visited_on >= substr(NEW.visited_on, 1, 7) || '-01' AND o.visited_on <= substr(NEW.visited_on, 1, 7) || '-99')) THEN RETURN NULL; END IF;
  INSERT INTO visit_month_first (village_code, month, monitored, prev_month, n)
      SELECT h.village_code, m.month, h.monitored, coalesce(lag(m.month) OVER (ORDER BY m.month), ''), 1
      FROM (SELECT DISTINCT substr(visited_on, 1, 7) AS month FROM visit WHERE household_id = NEW.household_id) m
      JOIN household h ON h.id = NEW.household_id
      WHERE h.status = 'active' AND (h.monitored = 1 OR h.category = 'alleviated')
      ON CONFLICT (village_code, month, monitored, prev_month) DO UPDATE SET n = visit_month_first.n + excluded.n;
  RETURN NULL;
END $$;
CREATE TRIGGER visit_month_first_insert_after AFTER INSERT ON visit FOR EACH ROW EXECUTE FUNCTION visit_month_first_insert_after_fn();

CREATE FUNCTION visit_month_first_delete_before_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT (NOT EXISTS (SELECT 1 FROM visit o WHERE o.household_id = OLD.household_id AND o.id <> OLD.id
                 AND o.visited_on >= substr(OLD.visited_on, 1, 7) || '-01' AND o.visited_on <= substr(OLD.visited_on, 1, 7) || '-99')) THEN RETURN OLD; END IF;
  INSERT INTO visit_month_first (village_code, month, monitored, prev_month, n)
      SELECT h.village_code, m.month, h.monitored, coalesce(lag(m.month) OVER (ORDER BY m.month), ''), -1
      FROM (SELECT DISTINCT substr(visited_on, 1, 7) AS month FROM visit WHERE household_id = OLD.household_id) m
      JOIN household h ON h.id = OLD.household_id
      WHERE h.status = 'active' AND (h.monitored = 1 OR h.category = 'alleviated')
      ON CONFLICT (village_code, month, monitored, prev_month) DO UPDATE SET n = visit_month_first.n + excluded.n;
  DELETE FROM visit_month_first WHERE n <= 0 AND village_code = (SELECT village_code FROM household WHERE id = OLD.household_id);
  RETURN OLD;
END $$;
CREATE TRIGGER visit_month_first_delete_before BEFORE DELETE ON visit FOR EACH ROW EXECUTE FUNCTION visit_month_first_delete_before_fn();

CREATE FUNCTION visit_month_first_delete_after_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT (NOT EXISTS (SELECT 1 FROM visit o WHERE o.household_id = OLD.household_id
                 AND o.visited_on >= substr(OLD.visited_on, 1, 7) || '-01' AND o.visited_on <= substr(OLD.visited_on, 1, 7) || '-99')) THEN RETURN NULL; END IF;
  INSERT INTO visit_month_first (village_code, month, monitored, prev_month, n)
      SELECT h.village_code, m.month, h.monitored, coalesce(lag(m.month) OVER (ORDER BY m.month), ''), 1
      FROM (SELECT DISTINCT substr(visited_on, 1, 7) AS month FROM visit WHERE household_id = OLD.household_id) m
      JOIN household h ON h.id = OLD.household_id
      WHERE h.status = 'active' AND (h.monitored = 1 OR h.category = 'alleviated')
      ON CONFLICT (village_code, month, monitored, prev_month) DO UPDATE SET n = visit_month_first.n + excluded.n;
  RETURN NULL;
END $$;
CREATE TRIGGER visit_month_first_delete_after AFTER DELETE ON visit FOR EACH ROW EXECUTE FUNCTION visit_month_first_delete_after_fn();

CREATE FUNCTION visit_month_first_update_before_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO visit_month_first (village_code, month, monitored, prev_month, n)
      SELECT h.village_code, m.month, h.monitored,
             coalesce(lag(m.month) OVER (PARTITION BY m.household_id ORDER BY m.month), ''), -1
      FROM (SELECT DISTINCT household_id, substr(visited_on, 1, 7) AS month FROM visit
            WHERE household_id IN (OLD.household_id, NEW.household_id)) m
      JOIN household h ON h.id = m.household_id
      WHERE h.status = 'active' AND (h.monitored = 1 OR h.category = 'alleviated')
      ON CONFLICT (village_code, month, monitored, prev_month) DO UPDATE SET n = visit_month_first.n + excluded.n;
  DELETE FROM visit_month_first WHERE n <= 0
      AND village_code IN (SELECT village_code FROM household WHERE id IN (OLD.household_id, NEW.household_id));
  RETURN NEW;
END $$;
CREATE TRIGGER visit_month_first_update_before BEFORE UPDATE OF household_id, visited_on ON visit FOR EACH ROW EXECUTE FUNCTION visit_month_first_update_before_fn();

CREATE FUNCTION visit_month_first_update_after_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO visit_month_first (village_code, month, monitored, prev_month, n)
      SELECT h.village_code, m.month, h.monitored,
             coalesce(lag(m.month) OVER (PARTITION BY m.household_id ORDER BY m.month), ''), 1
      FROM (SELECT DISTINCT household_id, substr(visited_on, 1, 7) AS month FROM visit
            WHERE household_id IN (OLD.household_id, NEW.household_id)) m
      JOIN household h ON h.id = m.household_id
      WHERE h.status = 'active' AND (h.monitored = 1 OR h.category = 'alleviated')
      ON CONFLICT (village_code, month, monitored, prev_month) DO UPDATE SET n = visit_month_first.n + excluded.n;
  RETURN NULL;
END $$;
CREATE TRIGGER visit_month_first_update_after AFTER UPDATE OF household_id, visited_on ON visit FOR EACH ROW EXECUTE FUNCTION visit_month_first_update_after_fn();

CREATE FUNCTION visit_month_first_household_before_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO visit_month_first (village_code, month, monitored, prev_month, n)
      SELECT OLD.village_code, m.month, OLD.monitored, coalesce(lag(m.month) OVER (ORDER BY m.month), ''), -1
      FROM (SELECT DISTINCT substr(visited_on, 1, 7) AS month FROM visit WHERE household_id = OLD.id) m
      WHERE OLD.status = 'active' AND (OLD.monitored = 1 OR OLD.category = 'alleviated')
      ON CONFLICT (village_code, month, monitored, prev_month) DO UPDATE SET n = visit_month_first.n + excluded.n;
  DELETE FROM visit_month_first WHERE n <= 0 AND village_code = OLD.village_code;
  RETURN NEW;
END $$;
CREATE TRIGGER visit_month_first_household_before BEFORE UPDATE OF village_code, status, category, monitored ON household FOR EACH ROW EXECUTE FUNCTION visit_month_first_household_before_fn();

CREATE FUNCTION visit_month_first_household_after_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO visit_month_first (village_code, month, monitored, prev_month, n)
      SELECT NEW.village_code, m.month, NEW.monitored, coalesce(lag(m.month) OVER (ORDER BY m.month), ''), 1
      FROM (SELECT DISTINCT substr(visited_on, 1, 7) AS month FROM visit WHERE household_id = NEW.id) m
      WHERE NEW.status = 'active' AND (NEW.monitored = 1 OR NEW.category = 'alleviated')
      ON CONFLICT (village_code, month, monitored, prev_month) DO UPDATE SET n = visit_month_first.n + excluded.n;
  RETURN NULL;
END $$;
CREATE TRIGGER visit_month_first_household_after AFTER UPDATE OF village_code, status, category, monitored ON household FOR EACH ROW EXECUTE FUNCTION visit_month_first_household_after_fn();

CREATE FUNCTION visit_month_first_household_delete_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO visit_month_first (village_code, month, monitored, prev_month, n)
      SELECT OLD.village_code, m.month, OLD.monitored, coalesce(lag(m.month) OVER (ORDER BY m.month), ''), -1
      FROM (SELECT DISTINCT substr(visited_on, 1, 7) AS month FROM visit WHERE household_id = OLD.id) m
      WHERE OLD.status = 'active' AND (OLD.monitored = 1 OR OLD.category = 'alleviated')
      ON CONFLICT (village_code, month, monitored, prev_month) DO UPDATE SET n = visit_month_first.n + excluded.n;
  DELETE FROM visit_month_first WHERE n <= 0 AND village_code = OLD.village_code;
  RETURN OLD;
END $$;
CREATE TRIGGER visit_month_first_household_delete BEFORE DELETE ON household FOR EACH ROW EXECUTE FUNCTION visit_month_first_household_delete_fn();

CREATE FUNCTION cadre_scope_insert_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO cadre_scope (path, cadre_id) SELECT path, cadre_id FROM cadre_scope_rows WHERE cadre_id = NEW.id ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER cadre_scope_insert AFTER INSERT ON cadre FOR EACH ROW EXECUTE FUNCTION cadre_scope_insert_fn();

CREATE FUNCTION cadre_scope_update_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM cadre_scope WHERE cadre_id = OLD.id;
  INSERT INTO cadre_scope (path, cadre_id) SELECT path, cadre_id FROM cadre_scope_rows WHERE cadre_id = NEW.id ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER cadre_scope_update AFTER UPDATE OF village_code, unit_id ON cadre FOR EACH ROW EXECUTE FUNCTION cadre_scope_update_fn();

CREATE FUNCTION cadre_scope_delete_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM cadre_scope WHERE cadre_id = OLD.id;
  RETURN NULL;
END $$;
CREATE TRIGGER cadre_scope_delete AFTER DELETE ON cadre FOR EACH ROW EXECUTE FUNCTION cadre_scope_delete_fn();

CREATE FUNCTION cadre_scope_unit_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM cadre_scope WHERE cadre_id IN (SELECT id FROM cadre WHERE unit_id = NEW.id);
  INSERT INTO cadre_scope (path, cadre_id) SELECT path, cadre_id FROM cadre_scope_rows
      WHERE cadre_id IN (SELECT id FROM cadre WHERE unit_id = NEW.id) ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER cadre_scope_unit AFTER UPDATE OF region_code ON unit FOR EACH ROW EXECUTE FUNCTION cadre_scope_unit_fn();

CREATE FUNCTION cadre_scope_region_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM cadre_scope WHERE cadre_id IN (SELECT id FROM cadre WHERE village_code = NEW.code
      UNION SELECT c.id FROM unit u JOIN cadre c ON c.unit_id = u.id WHERE u.region_code = NEW.code);
  INSERT INTO cadre_scope (path, cadre_id) SELECT path, cadre_id FROM cadre_scope_rows
      WHERE cadre_id IN (SELECT id FROM cadre WHERE village_code = NEW.code
        UNION SELECT c.id FROM unit u JOIN cadre c ON c.unit_id = u.id WHERE u.region_code = NEW.code) ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER cadre_scope_region AFTER UPDATE OF path ON region FOR EACH ROW EXECUTE FUNCTION cadre_scope_region_fn();

