-- 041: the weak points (短板弱项, 5.8) an annual assistance plan (5.9) says it addresses: texts
-- taken from the village profile's current weak_points when the plan is written (040). Kept as
-- the plan's own copy, so a later change of the profile does not rewrite what the plan said.
ALTER TABLE assistance_plan ADD COLUMN weak_points TEXT NOT NULL DEFAULT '[]';
