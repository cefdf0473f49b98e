"""A register on the test server with pupils, decisions, publications, cases and audit entries
at three locations, and seats (logins) of each role to connect as.

The rows are written by the owner (the test server's superuser, no seat), in plain SQL where
the store's consent and publication queries do not run on a server yet; the cases through the
store. Seats log in over the server's Unix socket, which the test server trusts; their
passwords are tested apart (tests/commands/test_server_users.py).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

from merlet_desk.domain.consent import school_year
from merlet_desk.store import open_database
from merlet_desk.store.engine.access import add_seat
from tests.helpers.builders import add_case, dump_tables
from tests.helpers.clock import TODAY, born_aged

_logins = itertools.count(1)
# The decisions of `fill`: on the first day of this school year, so valid on whatever day the
# date runs (scripts/test-dates.sh) put the clock.
FILLED_ON = school_year(TODAY)[0]

# Born by age, not on a fixed day: the date runs (scripts/test-dates.sh) move the clock years
# ahead, and a parent may decide only for a pupil under 16.
PUPILS = [  # id, number, first, prefix, last, born, class, location
    (1, "1001", "Joëlle", "van den", "Broek", born_aged(14).isoformat(), "1A", "Cuijk"),
    (2, "2001", "Berkay", "", "Öztürk", born_aged(15).isoformat(), "3C", "Grave"),
    (3, "2002", "Zofia", "", "Łęcka", born_aged(14, 60).isoformat(), "1G", "Grave"),
    (4, "3001", "Meryem", "", "Boujdaini", born_aged(14, 90).isoformat(), "2C", "Mill"),
    (5, "1002", "<b>Jan</b>", "", "& Zn", born_aged(14, 120).isoformat(), "1A", "Cuijk"),
]
LOCATION_OF = {number: location for _, number, *_rest, location in PUPILS}
ITEMS = [  # id, title, location, pupil ids
    (1, "Musical <Grease> & meer", "Cuijk", (1, 2)),  # a Cuijk item with a Grave pupil in it
    (2, "Sportdag Grave", "Grave", (3,)),
    (3, "Open dag Mill", "Mill", (4,)),
]


def fill(url: str) -> dict[str, str]:
    """Fill the register at `url` (as its owner); returns the case references by location."""
    db = open_database(url)
    try:
        with db.atomic():
            for row in PUPILS:
                db.execute(
                    "INSERT INTO pupils (id, number, first_name, prefix, last_name, birth_date,"
                    " class_name, location) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    row,
                )
                db.execute(
                    "INSERT INTO decisions (pupil_id, purpose_id, decision, given_by,"
                    " giver_name, received_on, method, recorded_by, recorded_at)"
                    " SELECT ?, id, 'granted', 'parent', 'Ayşe Yılmaz', ?, 'paper',"
                    " 'beheer', ? FROM purposes WHERE code = 'website'",
                    [row[0], FILLED_ON.isoformat(), f"{FILLED_ON.isoformat()}T00:00:00"],
                )
                db.execute(
                    'INSERT INTO audit_log (at, "user", action, record_kind, record_id,'
                    " new_value) VALUES ('2026-09-01T10:00:00', 'beheer', 'create', 'pupil',"
                    " ?, ?)",
                    [row[1], f'{{"location": "{row[7]}"}}'],
                )
            for item_id, title, location, pupils in ITEMS:
                db.execute(
                    "INSERT INTO publication_items (id, title, media_kind, location, created_by,"
                    " created_at, updated_at) VALUES (?, ?, 'photo', ?, 'beheer',"
                    " '2026-09-05T10:00:00', '2026-09-05T10:00:00')",
                    [item_id, title, location],
                )
                for pupil in pupils:
                    db.execute(
                        "INSERT INTO publication_item_pupils (item_id, pupil_id) VALUES (?, ?)",
                        [item_id, pupil],
                    )
                db.execute(
                    "INSERT INTO publications (item_id, purpose_id, published_on, link,"
                    " published_by, recorded_at) SELECT ?, id, '2026-09-10',"
                    " 'https://www.merletcollege.nl/' || ?, 'beheer', '2026-09-10T10:00:00'"
                    " FROM purposes WHERE code = 'website'",
                    [item_id, item_id],
                )
            for table in ("pupils", "publication_items"):
                db.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                    f" (SELECT max(id) FROM {table}))"
                )
        grave = add_case(db).reference
        cuijk = add_case(db, location="Cuijk", summary="Nepaccount van een leerling").reference
    finally:
        db.close()
    return {"Grave": grave, "Cuijk": cuijk}


@contextmanager
def filled_register(server) -> Iterator[tuple[str, dict[str, str]]]:
    """A new register on `server`, filled (`fill`): its URL and the case references by
    location; dropped afterwards. The `register` fixture of the role tests."""
    url = server.new_register()
    try:
        yield url, fill(url)
    finally:
        server.drop(url)


def new_seat(url: str, roles: tuple[str, ...], locations: tuple[str, ...] = ()) -> str:
    """A login of `roles` (at `locations`) on the register at `url`; its name."""
    login = f"{'_'.join(roles)}_{os.getpid()}_{next(_logins)}"
    db = open_database(url)
    try:
        add_seat(db, login, roles, locations, "Geheim&Lang<2026>")
    finally:
        db.close()
    return login


def as_seat(server, url: str, login: str) -> str:
    """The URL of the register at `url` for the seat `login`."""
    return server.url(server.name_of(url), user=login)


@contextmanager
def raw_session(server, url: str, login: str) -> Iterator[psycopg.Connection]:
    """A hand-made SQL session of `login` on the register (as psql would be), autocommit."""
    with psycopg.connect(as_seat(server, url, login), autocommit=True) as conn:
        yield conn


def refused(conn: psycopg.Connection, statement: str, params: object = None) -> str:
    """Run `statement`, which the server must refuse; its error message."""
    try:
        conn.execute(statement, params)
    except psycopg.Error as exc:
        return str(exc)
    raise AssertionError(f"the server allowed: {statement}")


def owner_dump(url: str) -> dict[str, list]:
    """Every row of the register, read by its owner: to prove a refusal changed nothing."""
    db = open_database(url, read_only=True)
    try:
        return dump_tables(db)
    finally:
        db.close()


def password_matches(server, login: str, password: str) -> bool:
    """Whether `password` is the one the server keeps for `login` (as a SCRAM-SHA-256
    verifier: the server never holds the password itself)."""
    import base64
    import hashlib
    import hmac

    [(verifier,)] = server.sql(
        "SELECT rolpassword FROM pg_authid WHERE rolname = %s", params=[login]
    )
    method, rest = verifier.split("$", 1)
    assert method == "SCRAM-SHA-256"
    iterations_salt, keys = rest.split("$")
    iterations, salt = iterations_salt.split(":")
    stored_key = keys.split(":")[0]
    salted = hashlib.pbkdf2_hmac(
        "sha256", password.encode(), base64.b64decode(salt), int(iterations)
    )
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    return base64.b64encode(hashlib.sha256(client_key).digest()).decode() == stored_key
