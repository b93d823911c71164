-- The words of the search index, so that a prefix that begins few of them
-- is searched as the choice of those words (internal/sqlite/search.go,
-- spellPrefixes): FTS5 evaluates a prefix in full at each lookup by row,
-- a word in a moment. An fts5vocab table stores nothing of its own.
CREATE VIRTUAL TABLE event_search_vocab USING fts5vocab(event_search, 'row');
