-- 004: the previous check-in of a cadre (for the speed rule) is found by time: an index on
-- (cadre_id, at) makes it one probe instead of a sort of all the cadre's check-ins.
CREATE INDEX checkin_cadre_at ON checkin(cadre_id, at);
