"""The plan file: its schema, the checker with file:line messages, the import into the database, and the message catalogue."""
