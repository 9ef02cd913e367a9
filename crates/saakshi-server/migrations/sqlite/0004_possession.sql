-- Who holds which media. Knowing a SHA-256 is not owning the media: a device reads
-- stored media, and its captures are joined to it, only once the device uploaded those
-- bytes or answered a possession challenge over them (saakshi_domain::possession).
CREATE TABLE media_holders (
    sha256    TEXT NOT NULL REFERENCES media (sha256) ON DELETE CASCADE,
    device_id TEXT NOT NULL REFERENCES devices (id),
    -- 'upload' | 'proof' | 'before_proofs' (joined before this migration, kept as it was)
    how       TEXT NOT NULL CHECK (how IN ('upload', 'proof', 'before_proofs')),
    since     INTEGER NOT NULL,
    PRIMARY KEY (sha256, device_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX media_holders_by_device ON media_holders (device_id);

-- Captures joined before proofs existed stay joined: who uploaded what is no longer known.
INSERT OR IGNORE INTO media_holders (sha256, device_id, how, since)
    SELECT c.sha256, c.device_id, 'before_proofs', min(m.stored_at)
    FROM captures c JOIN media m ON m.sha256 = c.sha256
    GROUP BY c.sha256, c.device_id;

-- Keys the server makes for itself on first start (the possession challenge key).
CREATE TABLE server_secrets (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
) STRICT;
