-- The cadres of a province or a city (issue 15): a cadre is in a region's scope when stationed in
-- the region or employed by a unit the region administers (store/scope.c). For a county or a township
-- two index look-ups collect the few ids; for a city or the province the list had to walk every cadre
-- of the database in id order and test each (its village's path, its unit's region's path) until the
-- page was full, and count them all the same way: at province scale (~51,000 cadres) the first page of
-- a city read every cadre of the cities before it.
--
-- cadre_scope keeps, for each cadre, the province's and the city's paths ('/36/', '/36/3607/') of its
-- village and of its unit's region: the cadres of a city are the index range (path = '/36/3607/') in
-- id order, so the first page stops after its rows and the count reads that range of the index only.
-- The two prefixes of a path are its text up to its second and third '/' (region paths are
-- '/' || code || '/' below the parent's, regions_import.c). Triggers keep it with every write that
-- can change the answer: a cadre's village or unit, a unit's region, a region's path (a move).
CREATE TABLE cadre_scope (
  path     TEXT NOT NULL,     -- '/36/' or '/36/3607/': a province's or a city's region path
  cadre_id INTEGER NOT NULL,
  PRIMARY KEY (path, cadre_id)
) WITHOUT ROWID;
CREATE INDEX cadre_scope_cadre ON cadre_scope(cadre_id);

-- Where a cadre belongs: its village's path (when stationed) and its unit's region's path.
CREATE VIEW cadre_place (cadre_id, place) AS
  SELECT c.id, v.path FROM cadre c JOIN region v ON v.code = c.village_code
  UNION ALL
  SELECT c.id, r.path FROM cadre c JOIN unit u ON u.id = c.unit_id JOIN region r ON r.code = u.region_code;

-- What cadre_scope must hold: each place's first two levels (INSERT OR IGNORE drops the repeats).
CREATE VIEW cadre_scope_rows (path, cadre_id) AS
  SELECT substr(place, 1, instr(substr(place, 2), '/') + 1), cadre_id FROM cadre_place
  UNION ALL
  SELECT substr(place, 1, instr(substr(place, 2), '/') + 1 + instr(substr(place, instr(substr(place, 2), '/') + 2), '/')),
         cadre_id FROM cadre_place;

INSERT OR IGNORE INTO cadre_scope (path, cadre_id) SELECT path, cadre_id FROM cadre_scope_rows;

CREATE TRIGGER cadre_scope_insert AFTER INSERT ON cadre BEGIN
  INSERT OR IGNORE INTO cadre_scope (path, cadre_id) SELECT path, cadre_id FROM cadre_scope_rows WHERE cadre_id = NEW.id;
END;

CREATE TRIGGER cadre_scope_update AFTER UPDATE OF village_code, unit_id ON cadre BEGIN
  DELETE FROM cadre_scope WHERE cadre_id = OLD.id;
  INSERT OR IGNORE INTO cadre_scope (path, cadre_id) SELECT path, cadre_id FROM cadre_scope_rows WHERE cadre_id = NEW.id;
END;

CREATE TRIGGER cadre_scope_delete AFTER DELETE ON cadre BEGIN
  DELETE FROM cadre_scope WHERE cadre_id = OLD.id;
END;

CREATE TRIGGER cadre_scope_unit AFTER UPDATE OF region_code ON unit BEGIN
  DELETE FROM cadre_scope WHERE cadre_id IN (SELECT id FROM cadre WHERE unit_id = NEW.id);
  INSERT OR IGNORE INTO cadre_scope (path, cadre_id) SELECT path, cadre_id FROM cadre_scope_rows
    WHERE cadre_id IN (SELECT id FROM cadre WHERE unit_id = NEW.id);
END;

CREATE TRIGGER cadre_scope_region AFTER UPDATE OF path ON region BEGIN
  DELETE FROM cadre_scope WHERE cadre_id IN (SELECT id FROM cadre WHERE village_code = NEW.code
    UNION SELECT c.id FROM unit u JOIN cadre c ON c.unit_id = u.id WHERE u.region_code = NEW.code);
  INSERT OR IGNORE INTO cadre_scope (path, cadre_id) SELECT path, cadre_id FROM cadre_scope_rows
    WHERE cadre_id IN (SELECT id FROM cadre WHERE village_code = NEW.code
      UNION SELECT c.id FROM unit u JOIN cadre c ON c.unit_id = u.id WHERE u.region_code = NEW.code);
END;
