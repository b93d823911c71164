-- The date as a story's author wrote it for readers ("Early hours of 3 May
-- 2023", "Spring 1945"), kept from formats that have one (TimelineJS's
-- display_date) and shown beside the time, which stays the truth for order.
ALTER TABLE events ADD COLUMN display_date TEXT NOT NULL DEFAULT '';
