-- The Ed25519 signature over each capture's manifest, made at capture
-- (saakshi_domain::manifest). NULL for captures made before this version.
ALTER TABLE captures ADD COLUMN signature TEXT;
