"""`merlet-desk init --encrypt`, `encrypt`, `key recover`, `key rotate`, `--key-file` on every
command, and every way a key can be missing or wrong: one Dutch line, exit 2, nothing changed."""

from __future__ import annotations

import io
import re
import sqlite3

import pytest

from merlet_desk import sqlite_driver
from merlet_desk.cli import main
from merlet_desk.store import open_database
from merlet_desk.store.backup import list_backups
from merlet_desk.store.connection import open_raw
from tests.helpers import dump_tables, pdf_text
from tests.helpers.builders import leaked_secrets, sensitive_school
from tests.helpers.keystore import TEST_KEY, write_test_key_file
from tests.helpers.pdf import assert_letterhead_on_every_page, page_texts
from tests.helpers.processes import digest, listing, one_line_error, run_cli

RECOVERY = re.compile(r"\d{6}(?:-\d{6}){7}")


def one_line(capsys) -> str:
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("merlet-desk: "), err
    assert "Traceback" not in err
    return lines[0]


def recovery_key_of(text: str) -> str:
    [found] = RECOVERY.findall(text)
    return found


def type_in(monkeypatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text + "\n"))


@pytest.fixture
def plain_school(tmp_path):
    return sensitive_school(tmp_path / "merlet.sqlite")


def test_encrypt_then_every_command_works_and_the_key_is_in_the_key_store(
    plain_school, key_store, tmp_path, capsys
):
    path = plain_school
    sheet = tmp_path / "herstelsleutel.pdf"
    assert main(["encrypt", "--db", str(path), "--recovery-sheet", str(sheet)]) == 0
    out = capsys.readouterr().out
    assert "is versleuteld" in out and "sleutelkluis van deze computer" in out
    assert str(sheet) in out and "wie het heeft, kan het register lezen" in out
    assert leaked_secrets(path) == []
    assert "databasesleutels" in key_store.read_text()  # the test's key store holds it
    # The sheet: on the letterhead, the 48 digits, where to keep it, who can read with it.
    texts = page_texts(sheet)
    assert_letterhead_on_every_page(texts)
    text = pdf_text(sheet)
    digits = recovery_key_of(text)
    assert "Herstelsleutel" in text and "kluis" in text
    assert "Wie dit blad heeft, kan het hele register lezen" in text
    assert f'merlet-desk key recover --db "{path}"' in text
    # Everything keeps working on it.
    for command in (
        ["check", "--purpose", "website", "--class", "1A"],
        ["cases"],
        ["verify"],
        ["backup"],
        ["report", "consent", "--location", "Cuijk", "-o", str(tmp_path / "toestemmingen.pdf")],
        ["purge", "--dry-run"],
        ["--read-only", "takedowns"],
    ):
        code = main([*command, "--db", str(path)])
        assert code in (0, 1), (command, capsys.readouterr())
    assert "Joëlle" in pdf_text(tmp_path / "toestemmingen.pdf")
    for backup in list_backups(path.parent / "backups", path):
        assert leaked_secrets(backup.path) == []
    assert RECOVERY.fullmatch(digits)


def test_without_a_sheet_the_recovery_key_is_printed_with_what_it_gives(
    plain_school, key_store, capsys
):
    assert main(["encrypt", "--db", str(plain_school)]) == 0
    out = capsys.readouterr().out
    digits = recovery_key_of(out)
    assert "wie hem heeft, kan het register lezen" in out
    groups = digits.split("-")
    assert len(groups) == 8 and all(int(group) % 11 == 0 for group in groups)


def test_recover_after_the_key_store_is_wiped_gives_identical_data(
    plain_school, key_store, monkeypatch, capsys
):
    path = plain_school
    assert main(["encrypt", "--db", str(path)]) == 0
    digits = recovery_key_of(capsys.readouterr().out)
    db = open_database(path, read_only=True)
    before = dump_tables(db)
    db.close()

    key_store.unlink()  # the key store wiped (a new laptop, a reinstalled account)
    file_before = digest(path)
    assert main(["cases", "--db", str(path)]) == 2
    line = one_line(capsys)
    assert "sleutelkluis van deze computer" in line and "merlet-desk key recover" in line
    assert "beschadigd" not in line and "back-up" not in line

    type_in(monkeypatch, " ".join(digits.split("-")))  # as typed from the sheet
    assert main(["key", "recover", "--db", str(path)]) == 0
    assert "staat in de sleutelkluis van deze computer" in capsys.readouterr().out
    assert digest(path) == file_before  # recovering reads the register, never writes it
    db = open_database(path, read_only=True)
    assert dump_tables(db) == before
    db.close()


def test_a_typo_in_the_recovery_key_names_the_group_and_changes_nothing(
    plain_school, key_store, monkeypatch, capsys
):
    path = plain_school
    assert main(["encrypt", "--db", str(path)]) == 0
    digits = recovery_key_of(capsys.readouterr().out)
    key_store.unlink()
    before = digest(path)
    wrong = digits[:15] + str((int(digits[15]) + 1) % 10) + digits[16:]  # group 3
    type_in(monkeypatch, wrong)
    assert main(["key", "recover", "--db", str(path)]) == 2
    line = one_line(capsys)
    assert "Tikfout in de herstelsleutel: groep 3" in line
    assert not key_store.exists() and digest(path) == before
    type_in(monkeypatch, digits[:-7])  # a group left out
    assert main(["key", "recover", "--db", str(path)]) == 2
    assert "48 cijfers" in one_line(capsys)


def test_rotate_then_the_old_recovery_key_is_refused(
    plain_school, key_store, tmp_path, monkeypatch, capsys
):
    path = plain_school
    assert main(["encrypt", "--db", str(path)]) == 0
    old_digits = recovery_key_of(capsys.readouterr().out)
    assert main(["backup", "--db", str(path)]) == 0
    capsys.readouterr()
    sheet = tmp_path / "nieuw-blad.pdf"
    assert main(["key", "rotate", "--db", str(path), "--recovery-sheet", str(sheet)]) == 0
    out = capsys.readouterr().out
    assert "nieuwe sleutel" in out and "openen het niet meer" in out
    new_digits = recovery_key_of(pdf_text(sheet))
    assert new_digits != old_digits
    assert main(["cases", "--db", str(path)]) == 0  # the key store has the new key
    capsys.readouterr()

    key_store.unlink()
    before = digest(path)
    type_in(monkeypatch, old_digits)
    assert main(["key", "recover", "--db", str(path)]) == 2
    line = one_line(capsys)
    assert "opent" in line and "niet" in line and "nieuwste blad" in line
    assert not key_store.exists() and digest(path) == before
    # The backup made before the rotation is not readable with the old key either.
    [backup] = list_backups(path.parent / "backups", path)
    from merlet_desk.domain.recovery_key import parse_recovery_key
    from merlet_desk.store.errors import WrongKeyError

    with pytest.raises(WrongKeyError):
        open_raw(backup.path, key=parse_recovery_key(old_digits).database_key)
    type_in(monkeypatch, new_digits)
    assert main(["key", "recover", "--db", str(path)]) == 0
    assert main(["restore", str(backup.path), "--db", str(path)]) == 0


def test_init_encrypt_makes_an_encrypted_register_from_its_first_byte(tmp_path, key_store, capsys):
    path = tmp_path / "nieuw.sqlite"
    sheet = tmp_path / "blad.pdf"
    argv = ["init", "--db", str(path), "--encrypt", "--recovery-sheet", str(sheet)]
    assert main([*argv, "--demo", "--pupils", "20"]) == 0
    out = capsys.readouterr().out
    assert "aangemaakt (versleuteld) met demogegevens" in out
    assert sheet.exists() and RECOVERY.search(pdf_text(sheet))
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        sqlite3.connect(path).execute("SELECT * FROM sqlite_master").fetchall()
    assert main(["cases", "--db", str(path)]) == 0
    assert main(["init", "--db", str(path), "--encrypt"]) == 2
    assert "merlet-desk encrypt" in one_line(capsys)


def test_without_a_key_store_encrypt_asks_for_a_key_file_and_never_falls_back(
    plain_school, tmp_path, no_key_store, capsys
):
    path = plain_school
    before, files = digest(path), listing(tmp_path)
    assert main(["encrypt", "--db", str(path)]) == 2
    line = one_line(capsys)
    assert "geen sleutelkluis" in line and "--key-file" in line
    assert digest(path) == before and listing(tmp_path) == files  # still plain, nothing made
    key_file = tmp_path / "sleutel" / "merlet.key"
    key_file.parent.mkdir()
    assert main(["encrypt", "--db", str(path), "--key-file", str(key_file)]) == 0
    assert "het sleutelbestand" in capsys.readouterr().out
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert re.fullmatch(r"[0-9a-f]{64}\n", key_file.read_text())
    assert leaked_secrets(path) == []
    assert main(["cases", "--db", str(path), "--key-file", str(key_file)]) == 0
    assert main(["cases", "--db", str(path)]) == 2  # no key file given, no key store
    line = one_line(capsys)
    assert "geen sleutelkluis" in line and "--key-file" in line


def test_a_key_file_others_can_read_is_refused_with_the_reason(
    tmp_path, no_key_store, capsys, monkeypatch
):
    path = sensitive_school(tmp_path / "merlet.sqlite", key=TEST_KEY)
    key_file = write_test_key_file(tmp_path / "sleutel.hex")
    key_file.chmod(0o644)
    before = digest(path)
    assert main(["cases", "--db", str(path), "--key-file", str(key_file)]) == 2
    line = one_line(capsys)
    assert "rechten 0644" in line and "chmod 600" in line
    monkeypatch.setenv("MERLET_DESK_KEY_FILE", str(key_file))  # the same through the variable
    assert main(["verify", "--db", str(path)]) == 2
    assert "rechten 0644" in one_line(capsys)
    assert digest(path) == before


@pytest.mark.parametrize(
    "command",
    [
        ["cases"],
        ["check", "--purpose", "website", "--class", "1A"],
        ["verify"],
        ["backup"],
        ["purge"],
        ["encrypt"],
        ["key", "rotate"],
        ["--read-only", "takedowns"],
    ],
    ids=lambda c: " ".join(c),
)
def test_a_wrong_key_file_is_one_line_exit_2_and_nothing_changed(tmp_path, command, capsys):
    path = sensitive_school(tmp_path / "merlet.sqlite", key=TEST_KEY)
    wrong = write_test_key_file(tmp_path / "ander.hex", bytes.fromhex("77" * 32))
    before, files = digest(path), listing(tmp_path)
    assert main([*command, "--db", str(path), "--key-file", str(wrong)]) == 2
    line = one_line(capsys)
    assert str(wrong) in line and "opent dit bestand niet" in line
    assert "beschadigd" not in line.lower()
    assert digest(path) == before and listing(tmp_path) == files


def test_restoring_a_backup_under_a_key_that_is_not_given_is_refused(tmp_path, monkeypatch, capsys):
    from merlet_desk.store import keys

    path = sensitive_school(tmp_path / "merlet.sqlite", key=TEST_KEY)
    right = write_test_key_file(tmp_path / "sleutel.hex")
    monkeypatch.setenv(keys.KEY_FILE_ENV, str(right))
    assert main(["backup", "--db", str(path)]) == 0
    capsys.readouterr()
    [backup] = list_backups(path.parent / "backups", path)
    wrong = write_test_key_file(tmp_path / "ander.hex", bytes.fromhex("77" * 32))
    before, files = digest(path), listing(tmp_path)
    assert main(["restore", str(backup.path), "--db", str(path), "--key-file", str(wrong)]) == 2
    line = one_line(capsys)
    assert "niet bruikbaar" in line and "opent dit bestand niet" in line
    assert digest(path) == before and listing(tmp_path) == files


def test_a_cli_child_uses_the_key_store_and_a_wiped_one_gets_one_line(
    plain_school, key_store, capsys
):
    assert main(["encrypt", "--db", str(plain_school)]) == 0
    capsys.readouterr()
    result = run_cli("cases", "--db", plain_school)  # a real process, the same key store
    assert result.returncode == 0, result.stderr
    key_store.unlink()
    result = run_cli("cases", "--db", plain_school)
    assert result.returncode == 2
    assert "merlet-desk key recover" in one_line_error(result)


def test_not_a_database_is_never_called_damage():
    """What SQLite says of an encrypted file without its key ("file is not a database")
    never becomes "damaged, restore a backup"."""
    from merlet_desk.store.integrity import DamagedDatabaseError, explain_sqlite_error

    conn = sqlite_driver.connect(":memory:")
    error = sqlite_driver.DatabaseError("file is not a database")
    conn.close()
    explained = explain_sqlite_error(error, "register.sqlite")
    assert not isinstance(explained, DamagedDatabaseError)
    assert "back-up" not in str(explained) and "versleuteld" in str(explained)


def test_an_encrypted_file_is_no_sqlite_file_to_older_versions(tmp_path):
    """Every released version reads the first 16 bytes before it opens a file and refuses
    anything but "SQLite format 3" as "geen SQLite-bestand" (exit 2, nothing written), and
    SQLite without the key (any SQLite tool) reads nothing."""
    path = sensitive_school(tmp_path / "merlet.sqlite", key=TEST_KEY)
    assert open(path, "rb").read(16) != b"SQLite format 3\x00"
    conn = sqlite3.connect(path)
    with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    conn.close()
