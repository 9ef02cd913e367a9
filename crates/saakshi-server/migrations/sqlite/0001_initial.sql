-- Server metadata on SQLite, first schema. Shipped migrations are never edited.
-- Times are Unix milliseconds (UTC).

-- The area tree. `path` is '/<root>/…/<code>/', so a subtree is `path LIKE '/…/X/%'`.
CREATE TABLE areas (
    code        TEXT PRIMARY KEY,
    level       TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    name_hi     TEXT NOT NULL,
    parent_code TEXT REFERENCES areas (code),
    path        TEXT NOT NULL UNIQUE
) STRICT;

CREATE TABLE users (
    id                   INTEGER PRIMARY KEY,
    name                 TEXT NOT NULL UNIQUE,
    password_hash        TEXT NOT NULL,
    role                 TEXT NOT NULL CHECK (role IN ('admin', 'coordinator')),
    area_code            TEXT REFERENCES areas (code),
    must_change_password INTEGER NOT NULL DEFAULT 1,
    created_at           INTEGER NOT NULL,
    CHECK (role = 'admin' OR area_code IS NOT NULL)
) STRICT;

-- Coordinator and admin sessions (cookie holds the token; only its hash is stored).
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT;

-- Invite codes are stored hashed: the database alone does not let anyone enrol.
CREATE TABLE invites (
    code_hash  TEXT PRIMARY KEY,
    area_code  TEXT NOT NULL REFERENCES areas (code),
    uses_left  INTEGER NOT NULL CHECK (uses_left >= 0),
    expires_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE devices (
    id            TEXT PRIMARY KEY,
    token_hash    TEXT NOT NULL UNIQUE,
    public_key    BLOB NOT NULL CHECK (length(public_key) = 32),
    name          TEXT NOT NULL,
    platform      TEXT NOT NULL,
    area_code     TEXT NOT NULL REFERENCES areas (code),
    enrolled_at   INTEGER NOT NULL,
    last_seen_at  INTEGER,
    clock_skew_ms INTEGER,
    revoked_at    INTEGER,
    wipe          INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Verified media, by content address.
CREATE TABLE media (
    sha256    TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    size      INTEGER NOT NULL,
    stored_at INTEGER NOT NULL
) STRICT;

-- The record as accepted (JSON of saakshi_domain::CaptureRecord) plus the columns
-- queries filter on. `area_code` is the pushing device's area: the scope of the capture.
CREATE TABLE captures (
    id          TEXT PRIMARY KEY,
    device_id   TEXT NOT NULL REFERENCES devices (id),
    revision    INTEGER NOT NULL,
    record      TEXT NOT NULL,
    kind        TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    size        INTEGER NOT NULL,
    captured_at INTEGER NOT NULL,
    area_code   TEXT NOT NULL REFERENCES areas (code),
    received_at INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    review      TEXT NOT NULL DEFAULT 'pending',
    review_note TEXT
) STRICT;
CREATE INDEX captures_by_sha256 ON captures (sha256);
CREATE INDEX captures_by_area ON captures (area_code, captured_at);
CREATE INDEX captures_by_device ON captures (device_id);

CREATE TABLE thumbnails (
    capture_id TEXT PRIMARY KEY REFERENCES captures (id),
    jpeg       BLOB NOT NULL
) STRICT;

-- tus uploads: any node can continue any upload from this state.
CREATE TABLE uploads (
    id         TEXT PRIMARY KEY,
    device_id  TEXT NOT NULL REFERENCES devices (id),
    length     INTEGER,
    "offset"   INTEGER NOT NULL DEFAULT 0,
    metadata   TEXT NOT NULL,
    sha256     TEXT,
    capture_id TEXT,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    -- Set when every byte arrived and hashed right; the row stays until it expires so a
    -- client that resumes a finished upload learns it is finished.
    done_sha256 TEXT
) STRICT;
CREATE INDEX uploads_by_device_sha ON uploads (device_id, sha256);
CREATE INDEX uploads_by_expiry ON uploads (expires_at);

-- The append-only change sequence devices pull with a cursor. A change is for one
-- device, or for every device whose area path starts with `area_path`.
CREATE TABLE changes (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    device_id TEXT,
    area_path TEXT,
    body      TEXT NOT NULL,
    at        INTEGER NOT NULL,
    CHECK ((device_id IS NULL) <> (area_path IS NULL))
) STRICT;
CREATE INDEX changes_by_device ON changes (device_id, seq);
