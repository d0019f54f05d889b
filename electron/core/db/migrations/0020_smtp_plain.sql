-- 0020: the success package's mail goes over TLS: implicit TLS (`secure`, port 465) or STARTTLS, which
-- is now required, with the server's certificate checked. `plain` = 1 lets an administrator send
-- without encryption on purpose (a relay on this machine or inside the LAN); installations that sent in
-- clear before must say so.
ALTER TABLE smtp_settings ADD COLUMN plain INTEGER NOT NULL DEFAULT 0 CHECK (plain IN (0, 1));
