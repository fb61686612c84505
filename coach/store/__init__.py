"""Storage: session files (atomic TOML, schema migrations) and the SQLite index over them.

coach.store.disk           the private data directory and writes a crash cannot tear
coach.store.format         the file layout: writing, parsing and checking a session's text
coach.store.files          session files: their paths and locks, saving, loading, listing
coach.store.index          history and trends from a summary index that follows the files
coach.store.index_db       the index's tables, opening it (plain or encrypted), its lock
coach.store.index_refresh  keeping the index current with the files; rebuilding it
coach.store.lookup         a session by id prefix or as the newest; deleting one
"""
