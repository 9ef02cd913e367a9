-- Device store, first schema. Shipped migrations are never edited: add a new file.
-- Times are Unix milliseconds (UTC) so they sort and compare as integers.

-- Every media blob on disk that a record may point at (content address = SHA-256).
CREATE TABLE blobs (
    sha256     TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    size       INTEGER NOT NULL CHECK (size > 0),
    stored_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE captures (
    id              TEXT PRIMARY KEY,
    revision        INTEGER NOT NULL CHECK (revision >= 1),
    kind            TEXT NOT NULL CHECK (kind IN ('photo', 'video', 'audio', 'note')),
    sha256          TEXT NOT NULL REFERENCES blobs (sha256),
    size            INTEGER NOT NULL CHECK (size > 0),
    mime            TEXT NOT NULL,
    original_name   TEXT,
    captured_at     INTEGER NOT NULL,
    offset_minutes  INTEGER NOT NULL,
    lat             REAL,
    lon             REAL,
    accuracy_m      REAL,
    altitude_m      REAL,
    location_source TEXT CHECK (location_source IN ('gps', 'network', 'exif', 'manual')),
    fix_time        INTEGER,
    caption         TEXT NOT NULL DEFAULT '',
    tags            TEXT NOT NULL DEFAULT '[]',
    event           TEXT,
    area_code       TEXT,
    state           TEXT NOT NULL DEFAULT 'captured'
                    CHECK (state IN ('captured', 'registered', 'previewed', 'uploaded', 'synced', 'failed')),
    failure         TEXT,
    stored_at       INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    -- A location is all there or not at all.
    CHECK ((lat IS NULL) = (lon IS NULL) AND (lat IS NULL) = (location_source IS NULL))
) STRICT;

CREATE INDEX captures_by_state ON captures (state, kind, captured_at);
CREATE INDEX captures_by_sha256 ON captures (sha256);
CREATE INDEX captures_by_time ON captures (captured_at);

-- Small JPEG previews, one per blob (identical media share one).
CREATE TABLE thumbnails (
    sha256  TEXT PRIMARY KEY REFERENCES blobs (sha256),
    jpeg    BLOB NOT NULL CHECK (length(jpeg) <= 65536),
    width   INTEGER NOT NULL,
    height  INTEGER NOT NULL
) STRICT;

-- Device settings and enrolment (server URL, area, policies), one value per key.
CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) STRICT;
