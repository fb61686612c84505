"""Storage: session files (atomic TOML, schema migrations) and the SQLite index over them.

coach.store.files   the data directory, saving, loading, finding and deleting sessions
coach.store.format  the file layout: writing, parsing and checking a session's text
coach.store.index   history and trends from a summary index that follows the files
"""
