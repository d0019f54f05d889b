-- 0011: SIP lines set up in the app. A TURN server's credential is sealed like the SIP password
-- (a sealed JSON array, one entry per ICE server); ice_servers keeps the rest without it. Rows that
-- still hold credentials in the clear are sealed by core when it opens the database (the key is not
-- SQL's to use).
ALTER TABLE sip_accounts ADD COLUMN ice_credentials_sealed BLOB;
