"""Two engines behind one store: the SQLite file (the default) and a PostgreSQL server.

`store.open_database` opens either: a path gives sqlite-utils' `Database` over SQLite, a
``postgresql://`` URL (`store.server_url`) a `ServerDatabase` (`engine.server`) with the same
surface. The store's functions take either and keep their signatures; ui/, commands/,
reports/ and imports/ never ask which one they have. Each database (and each raw migration
connection) says its engine in `engine` (`dialect.engine_of`).

Every place where the two engines' SQL differs, and where that is handled:

Mechanically, in the server's connection wrapper (`engine.sqltext`, `engine.server`), for
every statement, so that queries are written once in SQLite's spelling:

1. Parameters: ``?`` → ``%s``, ``:name`` → ``%(name)s``, a literal ``%`` → ``%%``.
2. Identifiers: the audit log's ``user`` column is quoted (unquoted it is
   ``current_user`` on PostgreSQL); SQLite's ``[name]`` quoting becomes ``"name"``.
3. ``lastrowid``: after a one-row ``INSERT … VALUES`` the wrapper appends ``RETURNING id``.
4. ``total_changes``: counted by the wrapper from each INSERT/UPDATE/DELETE's row count.
5. Result types: boolean → 0/1, numeric (``sum``, ``avg``) → int or float, JSON → text, as
   sqlite3 returns them; parameters ``bool`` → 0/1, ``date``/``datetime`` → ISO text.
6. Transactions: ``BEGIN IMMEDIATE`` (one writer at a time, the checks inside see the latest
   commits) → ``BEGIN`` + ``pg_advisory_xact_lock``; nested ``atomic()`` → savepoints on both.
7. Errors: psycopg's errors → the program's `StoreError`s or subclasses of the SQLite
   library's DB-API classes (`engine.errors`).
8. ``INSERT OR REPLACE`` / ``INSERT OR IGNORE`` are refused; the store writes
   ``INSERT … ON CONFLICT (…) DO UPDATE/NOTHING``, which both read alike.

In the schema, by the migrations' translation (`engine.ddl`) and the server's own objects
(`engine.schema`):

9. Types: ``INTEGER`` → ``bigint``, ``TEXT`` → ``text COLLATE "C"`` (byte order, as SQLite's
   BINARY collation sorts and compares), ``BLOB`` → ``bytea`` (scans, evidence and
   thumbnails live in the database on both engines), ``WITHOUT ROWID`` dropped.
10. ``id INTEGER PRIMARY KEY`` (rowid) → an identity column with a sequence, which a copy
    moves past the copied ids.
11. Flags stay integers 0/1 with their CHECK on both engines (no ``boolean`` column), so
    ``WHERE retired = 0`` reads the same everywhere.
12. Triggers (the append-only decision history and audit log): ``RAISE(ABORT, …)`` triggers
    on SQLite, PL/pgSQL trigger functions on the server, written beside each other in the
    migration; the server also refuses ``TRUNCATE`` of those tables.
13. ``PRAGMA user_version`` / ``application_id`` → the one-row table ``merlet_desk_meta``.
14. Change notices: statement triggers ``NOTIFY merlet_desk`` on the server (for other
    seats' windows); SQLite has one seat and no such thing.

Explicitly, by the query asking `engine.dialect` for the piece by its meaning:

15. ``json_each(?)`` → ``unnest`` of an array: of ids cast from the JSON text, whose length
    the server's planner reads; of text from ``json_array_elements_text``, which the planner
    takes for 10 rows instead of 100 (`json_values`).
16. ``json_object`` / ``json_array`` / ``json_group_array`` → ``json_build_object`` /
    ``json_build_array`` / ``json_agg`` (`json_object`, `json_array`, `json_array_agg`);
    a JSON text column embedded as JSON, ``json(col)`` → ``CAST(col AS json)`` (`as_json`).
17. ``group_concat`` → ``string_agg`` (`group_concat`).
18. ``instr`` → ``strpos`` (`contains`).
19. The case search's ``merlet_fold`` (a Python function per SQLite connection) →
    ``lower(unaccent(…))`` (`fold`, `register_fold`).
20. ``PRAGMA table_info`` / ``sqlite_master`` → ``information_schema`` (`table_columns`,
    `table_names`).
21. ``PRAGMA data_version`` → the count of other connections' commits heard through the
    change notices, after one round trip so that a commit that returned is counted; right
    after reads that waited for the server, their answer is that round trip
    (`data_version(after_reads=True)`).
22. ``PRAGMA cache_size`` for a bulk write and for a report on an encrypted file, ``PRAGMA
    secure_delete`` and the WAL checkpoint of a purge → nothing on the server (`larger_cache`,
    `larger_cache_when_encrypted`, `deleting_for_good`).

By how the queries are written, so that the two read alike without help:

23. NULL in ``ORDER BY``: SQLite puts NULL first in ascending order, PostgreSQL last. No query
    orders by a column that can be NULL: such a column is wrapped in ``coalesce`` or kept out
    by ``IS NOT NULL`` (``coalesce(taken_on, '')``, the purge's ``left_on``).
24. ``LIKE`` folds ASCII case on SQLite and not on PostgreSQL: the store does not use it to
    search; a search folds both sides with `fold` (19).
25. Bare columns beside an aggregate (SQLite takes them from the row of the ``max``):
    PostgreSQL refuses them, so the store's tests, which run on both engines, fail on any;
    queries take the row in a subquery instead.

For the server's speed, where each query is a round trip to another process and the planner
is another:

26. The latest-day CTEs of the statuses are ``MATERIALIZED`` on the server, which otherwise
    read every decision of the pupils; SQLite keeps its own plan (`materialized`).
27. Independent reads are sent together, in one round trip (`together`: a psycopg pipeline);
    on SQLite each runs where it is executed. `tests/store/test_round_trips.py` counts them.
28. The small reads repeated all day (one pupil's takedowns after a decision, a class's
    check) are prepared statements on the server, planned once per connection for any
    parameters (`planned_once`;
    ``plan_cache_mode = force_generic_plan``, and psycopg prepares nothing else); every other
    statement is planned for its parameters each time. SQLite plans in microseconds.

`tests/store/test_sql_spelling.py` holds that no SQLite-only spelling is written outside
`engine/` and the modules about the file.

Only on SQLite, because they are about a file: the journal mode, the integrity check
(`PRAGMA quick_check`), the lock file, the network-share warning, the backups folder beside
the file, `verify`, `restore` over a file. A server has its own (docs/deployment.md,
Meerdere werkplekken).
"""
