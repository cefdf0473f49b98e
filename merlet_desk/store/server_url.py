"""A register on a PostgreSQL server, named by a URL instead of a file path.

`--db`, `MERLET_DESK_DB` and `database =` in the ini file take either a file path or a URL
such as ``postgresql://anna@db.merletcollege.nl:5432/merlet?sslmode=verify-full``. A URL is
a `ServerUrl`, never a `Path`: a path would fold its ``//`` and send it to the file code
(lock files, the backups folder, network-share detection, output checks), and a `ServerUrl`
has no `__fspath__`, so nothing can open it as a file by mistake.

The URL never holds a password. Passwords come from libpq's own places (``~/.pgpass`` or
``%APPDATA%\\postgresql\\pgpass.conf``, a service file, ``PGPASSWORD`` for scripts) or from the
OS key store (`store.engine.passwords`); a URL ends up in the ini file, the window title,
logs and the process list, so one with a password is refused with a line that says where it
belongs. Every other parameter (``sslmode``, ``host=/run/postgresql`` for a socket,
``service=``) is libpq's and passed on as written.

Cheap to import: the window resolves its database before its first paint, so nothing here
loads psycopg.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlsplit

from merlet_desk.errors import InputError

SCHEMES = ("postgresql", "postgres")

PASSWORD_ADVICE = (
    "zet het wachtwoord niet in de URL (die staat in het ini-bestand, de titelbalk, logboeken "
    "en de proceslijst) maar in ~/.pgpass (Windows: %APPDATA%\\postgresql\\pgpass.conf), of in "
    "PGPASSWORD voor een script; het programma vraagt er anders zelf om"
)
EXAMPLE = "postgresql://gebruiker@server:5432/databasenaam?sslmode=verify-full"


def is_server_url(value: object) -> bool:
    """Whether `value` (a `--db` value, an ini entry) names a server rather than a file."""
    if isinstance(value, ServerUrl):
        return True
    if not isinstance(value, str):
        return False
    scheme, sep, _ = value.strip().partition("://")
    return bool(sep) and scheme.lower() in SCHEMES


@dataclass(frozen=True)
class ServerUrl:
    """A checked ``postgresql://`` URL. `str()` gives it as the user wrote it (it holds no
    password); `conninfo` is what libpq gets."""

    url: str

    @classmethod
    def parse(cls, value: str, where: str = "--db") -> ServerUrl:
        """Check `value` and return it as a `ServerUrl`; `InputError` says what is wrong,
        naming `where` the value came from (``--db``, ``MERLET_DESK_DB``, the ini file)."""
        text = value.strip()
        try:
            parts = urlsplit(text)
            port = parts.port
        except ValueError as exc:
            reason = "de poort bestaat niet" if "range" in str(exc) else "de poort is geen getal"
            raise InputError(f"{where}: {text} is geen geldige database-URL: {reason}.") from exc
        if parts.scheme.lower() not in SCHEMES:
            raise InputError(f"{where}: '{text}' is geen database-URL; zo wel: {EXAMPLE}")
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        if parts.password is not None or "password" in query:
            shown = text.replace(f":{parts.password}@", ":***@") if parts.password else where
            raise InputError(f"{where}: {shown}: {PASSWORD_ADVICE}.")
        if not unquote(parts.path.lstrip("/")) and not query.get("dbname"):
            if "service" not in query:
                raise InputError(
                    f"{where}: {text} noemt geen database; schrijf bijvoorbeeld {EXAMPLE}"
                )
        if port == 0:
            raise InputError(
                f"{where}: {text} is geen geldige database-URL: de poort bestaat niet."
            )
        return cls(text)

    @property
    def conninfo(self) -> str:
        return self.url

    @property
    def database(self) -> str:
        """The database's name as the URL gives it (for messages)."""
        parts = urlsplit(self.url)
        name = unquote(parts.path.lstrip("/"))
        query = dict(parse_qsl(parts.query))
        return name or query.get("dbname", "") or query.get("service", "")

    @property
    def host(self) -> str:
        """The server as the URL names it: host name, socket folder, or "localhost"."""
        parts = urlsplit(self.url)
        query = dict(parse_qsl(parts.query))
        return parts.hostname or query.get("host", "") or "localhost"

    @property
    def user(self) -> str | None:
        parts = urlsplit(self.url)
        query = dict(parse_qsl(parts.query))
        return unquote(parts.username) if parts.username else query.get("user")

    @property
    def sslmode(self) -> str | None:
        return dict(parse_qsl(urlsplit(self.url).query)).get("sslmode")

    def __str__(self) -> str:
        return self.url
