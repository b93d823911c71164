-- Events imported naming no actor (a TimelineJS slide without a group), which
-- an import takes only when the editor allows it (timeline import
-- --allow-unattributed, or a followed sheet's allow_unattributed), and which
-- readers are told plainly name no one.
ALTER TABLE events ADD COLUMN unattributed INTEGER NOT NULL DEFAULT 0;
