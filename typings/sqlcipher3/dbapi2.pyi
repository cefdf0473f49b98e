# The standard library's sqlite3, which sqlcipher3.dbapi2 is a fork of (see __init__.pyi).
from sqlite3 import *  # noqa: F403 - every name of it, as sqlcipher3.dbapi2 has them
