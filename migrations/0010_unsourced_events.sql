-- Events imported with no source, which an import takes only when the
-- editor allows it (timeline import --allow-unsourced, or a followed sheet's
-- allow_unsourced), and which readers are told plainly have none.
ALTER TABLE events ADD COLUMN unsourced INTEGER NOT NULL DEFAULT 0;
