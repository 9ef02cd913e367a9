-- Kits: curated media with captions, published by a coordinator to areas in scope.
CREATE TABLE kits (
    id           TEXT PRIMARY KEY,
    body         TEXT NOT NULL,      -- JSON of saakshi_domain::wire::Kit
    created_by   INTEGER NOT NULL REFERENCES users (id),
    published_at INTEGER NOT NULL
) STRICT;

CREATE TABLE kit_items (
    kit_id   TEXT NOT NULL REFERENCES kits (id),
    position INTEGER NOT NULL,
    sha256   TEXT NOT NULL REFERENCES media (sha256),
    PRIMARY KEY (kit_id, position)
) STRICT;
CREATE INDEX kit_items_by_sha256 ON kit_items (sha256);

-- The areas a kit was published to; devices at or below them receive it.
CREATE TABLE kit_areas (
    kit_id    TEXT NOT NULL REFERENCES kits (id),
    area_code TEXT NOT NULL REFERENCES areas (code),
    PRIMARY KEY (kit_id, area_code)
) STRICT;
