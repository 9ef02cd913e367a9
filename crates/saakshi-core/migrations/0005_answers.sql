-- When the volunteer answered the verdict in force (Unix ms): set by an answer to a
-- "needs information" verdict, cleared when a new verdict arrives. The server's verdict
-- stays what it was until a coordinator looks again; this is how the screens know that
-- the question was answered.
ALTER TABLE captures ADD COLUMN answered_at INTEGER;
