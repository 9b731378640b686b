-- Issue 14: a village is shown by its short name (沙洲坝村); the official name of its committee
-- (沙洲坝村民委员会) is kept here for the village page. `name` holds the display name, so that every
-- list, report and team name (沙洲坝村驻村工作队) reads it without change; core/place_name derives it
-- once, when a place is imported or renamed, and regions_derive_display_names() fills the
-- places imported before this column existed (official_name IS NULL) when the server opens the
-- database. Places other than villages keep official_name NULL: their name is the official one.
ALTER TABLE region ADD COLUMN official_name TEXT;
