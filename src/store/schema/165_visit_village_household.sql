-- 遍访覆盖 (5.6) of a period with partial months (issue 15): store/visit_facts reads the visits of
-- the edge days village by village and needs only each visit's household, so the index by village
-- and date carries the household too and the visit rows (their findings and risks) are never read.
-- It replaces visit_village(village_code, visited_on), whose every use it serves the same way.
CREATE INDEX visit_village_household ON visit(village_code, visited_on, household_id);
DROP INDEX visit_village;
