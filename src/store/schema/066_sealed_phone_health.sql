-- 066 cadre phones and members' health notes sealed at rest (issue 17, finding F7 of the 2026-12 review),
-- as the ID numbers and the households' phones already are (store/vault: XSalsa20-Poly1305 with the
-- key file). A cadre's phone is kept sealed and masked (138****1234); a health note — sensitive
-- personal information under PIPL — sealed only: lists say that there is one, the text is read
-- through an audited reveal. This migration's C step (store/at_rest.c) seals the plain values of
-- older versions; 067 then drops the plain columns.
ALTER TABLE cadre ADD COLUMN phone_cipher BLOB;
ALTER TABLE cadre ADD COLUMN phone_masked TEXT;
ALTER TABLE household_member ADD COLUMN health_cipher BLOB;
