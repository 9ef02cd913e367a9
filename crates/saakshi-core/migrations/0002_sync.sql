-- Sync state of each capture, kept so that any interruption resumes where it stopped.

-- The tus upload under way for this capture's media, and the last offset the server
-- confirmed (a resume asks the server again; this is for progress and status).
ALTER TABLE captures ADD COLUMN upload_url TEXT;
ALTER TABLE captures ADD COLUMN upload_offset INTEGER NOT NULL DEFAULT 0;
-- Whether the thumbnail reached the server.
ALTER TABLE captures ADD COLUMN thumbnail_sent INTEGER NOT NULL DEFAULT 0;
-- The last transient error, in words, and how many times in a row it happened.
ALTER TABLE captures ADD COLUMN last_error TEXT;
ALTER TABLE captures ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
-- How often the server found the uploaded bytes did not match the hash: twice is final.
ALTER TABLE captures ADD COLUMN checksum_failures INTEGER NOT NULL DEFAULT 0;
-- A coordinator's verdict, from the server's change sequence.
ALTER TABLE captures ADD COLUMN review TEXT;
ALTER TABLE captures ADD COLUMN review_note TEXT;
