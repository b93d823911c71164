-- One name for the link between an event and the earlier one it answers,
-- from the domain to the table: answers.
ALTER TABLE relations RENAME TO answers;
DROP INDEX relations_by_target;
CREATE INDEX answers_by_target ON answers (to_event_id, from_event_id);
