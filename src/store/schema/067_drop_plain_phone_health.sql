-- 067 the plain columns of 066 go, once their values are sealed: SQLite rewrites the rows without them
-- (and secure_delete, set on every connection, zeroes what they held).
ALTER TABLE cadre DROP COLUMN phone;
ALTER TABLE household_member DROP COLUMN health;
