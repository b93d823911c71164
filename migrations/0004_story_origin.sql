-- What first filled the archive: 'import' once an import has begun on it
-- (committed before the import's own transaction, so a killed import still
-- leaves it), 'bundled' when the server loads the bundled story into a
-- brand-new file. The bundled story never goes into a file an import began.
ALTER TABLE story ADD COLUMN origin TEXT NOT NULL DEFAULT '';
UPDATE story SET origin = 'import' WHERE data_version > 0;
