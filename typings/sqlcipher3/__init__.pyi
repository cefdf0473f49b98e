# sqlcipher3 ships no type information; it is a fork of the standard library's sqlite3 module
# and speaks the same DB-API, so the type checker reads it as that module.
from . import dbapi2 as dbapi2
