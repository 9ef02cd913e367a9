-- Kits received from coordinators, and which of their media is here. Media is stored in
-- the blob store like captures (content-addressed, so a kit's copy of a capture this
-- device made costs nothing).
CREATE TABLE kits (
    id          TEXT PRIMARY KEY,
    body        TEXT NOT NULL,
    received_at INTEGER NOT NULL
) STRICT;

CREATE TABLE kit_media (
    kit_id   TEXT NOT NULL REFERENCES kits (id),
    position INTEGER NOT NULL,
    sha256   TEXT NOT NULL,
    size     INTEGER NOT NULL,
    mime     TEXT NOT NULL,
    PRIMARY KEY (kit_id, position)
) STRICT;
