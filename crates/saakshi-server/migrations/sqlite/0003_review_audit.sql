-- Who reviewed a capture and when (the verdict and note are in captures.review*).
ALTER TABLE captures ADD COLUMN reviewed_by TEXT;
ALTER TABLE captures ADD COLUMN reviewed_at INTEGER;
-- The feed lists what arrived last first, and pages by (received_at, id).
CREATE INDEX captures_by_received ON captures (received_at, id);

-- Every coordinator action that signs in, reads or exports media, reviews, publishes or
-- administers: who, what, on what, when. Append-only; nothing deletes from it.
CREATE TABLE audit (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         INTEGER NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    target     TEXT,
    detail     TEXT,
    -- The area path the action concerns (a coordinator sees entries under their scope);
    -- NULL for actions on the whole server (admins only).
    area_path  TEXT
) STRICT;
CREATE INDEX audit_by_at ON audit (at);

-- How many uses an invite was created with (uses_left counts down), for the invite list.
ALTER TABLE invites ADD COLUMN uses INTEGER;
