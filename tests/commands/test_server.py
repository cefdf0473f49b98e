"""`merlet-desk server init | copy` against a real PostgreSQL server (tests/helpers/postgres.py)."""

from __future__ import annotations

import hashlib

import pytest

from merlet_desk import clock
from merlet_desk.cli import main
from merlet_desk.store import migrations, open_database
from merlet_desk.store.cases import add_evidence
from merlet_desk.store.engine import transfer
from merlet_desk.store.engine.schema import is_empty
from tests.helpers import SESSION_NOW, add_case, dump_tables, sqlite
from tests.helpers.processes import one_line_error, run_cli

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def empty_url(postgres_server):
    url = postgres_server.new_database()
    yield url
    postgres_server.drop(url)


@pytest.fixture(scope="module")
def school_file(tmp_path_factory):
    """A register file with the demo school, evidence and a kept scan (blobs of every kind)."""
    path = tmp_path_factory.mktemp("school") / "merlet <Cuijk> & co.sqlite"
    with clock.fixed(SESSION_NOW):
        _fill_school(path)
    return path


def _fill_school(path):
    assert main(["init", "--db", str(path), "--demo", "--pupils", "60"]) == 0
    db = open_database(path)
    try:
        case = add_case(db, summary="Filmpje over Zofia Łęcka & <b>Berkay</b>")
        add_evidence(db, case.id, "schermafdruk.png", PNG)
        add_evidence(db, case.id, "bericht <1>.txt", "Joëlle: ‘ga weg’ & meer".encode())
        with db.atomic():
            pupil, purpose = db.execute(
                "SELECT p.id, pu.id FROM pupils p, purposes pu ORDER BY p.id LIMIT 1"
            ).fetchone()
            form = db.execute(
                "INSERT INTO consent_forms (pupil_id, signer, issued_on, issued_by, issued_at)"
                " VALUES (?, 'parent', '2026-09-01', 'anna', '2026-09-01T09:00:00')",
                [pupil],
            ).lastrowid
            db.execute(
                "INSERT INTO consent_form_purposes (form_id, position, purpose_id, label)"
                " VALUES (?, 1, ?, 'Website')",
                [form, purpose],
            )
            db.execute(
                "INSERT INTO form_scans (form_id, pupil_id, image, image_type, width, height,"
                " source, scanned_on, received_on, reading, recorded_by, recorded_at) VALUES"
                " (?, ?, ?, 'image/jpeg', 1240, 1754, 'stapel.pdf, pagina 1', '2026-09-20',"
                " '2026-09-20', '{}', 'anna', '2026-09-20T10:00:00')",
                [form, pupil, bytes(range(256)) * 600],
            )
    finally:
        db.close()


def _fingerprint(db):
    """Every row of every table (blobs by their SHA-256): what a copy must keep."""
    tables = dump_tables(db)
    return {
        table: [
            tuple(hashlib.sha256(v).hexdigest() if isinstance(v, bytes) else v for v in row)
            for row in rows
        ]
        for table, rows in tables.items()
    }


# -- server init ------------------------------------------------------------------------------


def test_init_makes_a_register_once(empty_url, capsys):
    assert main(["server", "init", "--db", empty_url]) == 0
    out = capsys.readouterr().out
    assert f"Register aangemaakt op {empty_url}" in out
    assert f"schemaversie {migrations.LATEST_VERSION}" in out
    db = open_database(empty_url)
    try:
        assert db.execute("SELECT count(*) FROM purposes").fetchone()[0] == 7
        assert db.execute("SELECT count(*) FROM policy_versions").fetchone()[0] == 1
    finally:
        db.close()
    assert main(["server", "init", "--db", empty_url]) == 2
    assert "is niet leeg" in capsys.readouterr().err


def test_init_and_copy_want_a_server_not_a_file(tmp_path, capsys):
    path = tmp_path / "merlet.sqlite"
    assert main(["server", "init", "--db", str(path)]) == 2
    assert "werkt op een PostgreSQL-server" in capsys.readouterr().err
    assert not path.exists()
    assert main(["init", "--db", "postgresql://anna@db.example/merlet"]) == 2
    assert "server init" in capsys.readouterr().err


def test_an_unreachable_server_is_one_dutch_line(tmp_path):
    # a port where nothing listens, on this machine
    result = run_cli("server", "init", "--db", "postgresql://anna@127.0.0.1:9/merlet")
    assert result.returncode == 2
    message = one_line_error(result)
    assert "De server is niet bereikbaar" in message and "Er is niets veranderd" in message


@pytest.mark.parametrize("command", [("encrypt",), ("key", "rotate"), ("key", "recover")])
def test_encryption_is_a_files_a_register_on_a_server_is_refused_in_one_line(command, empty_url):
    result = run_cli(*command, "--db", empty_url)
    assert result.returncode == 2
    message = one_line_error(result)
    assert "werkt op een databasebestand" in message and "ICT" in message


# -- server copy ------------------------------------------------------------------------------


def test_copy_keeps_every_row_and_id_and_says_what_it_copied(school_file, empty_url, capsys):
    assert main(["server", "copy", str(school_file), "--db", empty_url]) == 0
    out = capsys.readouterr().out
    assert f"Gekopieerd: {school_file} naar {empty_url}" in out
    assert "decisions:" in out and "controlegetal besluiten" in out
    assert "form_scans: 1 rij (controlegetal scans" in out
    assert "case_evidence: 2 rijen (controlegetal bewijsstukken" in out
    assert "Gecontroleerd" in out
    source, copy = open_database(school_file, read_only=True), open_database(empty_url)
    try:
        assert _fingerprint(copy) == _fingerprint(source)
        # the sequences continue after the copied ids: a new case gets a new id and reference
        last = source.execute("SELECT max(id) FROM cases").fetchone()[0]
        new = add_case(copy, summary="Nieuw op de server")
        assert new.id == last + 1
        assert new.reference not in {r[0] for r in source.execute("SELECT reference FROM cases")}
    finally:
        source.close()
        copy.close()


def test_copy_into_a_database_that_is_not_empty_changes_nothing(
    school_file, empty_url, postgres_server, capsys
):
    name = postgres_server.name_of(empty_url)
    postgres_server.sql("CREATE TABLE eigen_tabel (x int)", database=name)
    assert main(["server", "copy", str(school_file), "--db", empty_url]) == 2
    assert "ander programma" in capsys.readouterr().err
    assert postgres_server.sql(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
        database=name,
    ) == [("eigen_tabel",)]


def test_a_copy_that_does_not_verify_leaves_the_server_empty(
    school_file, empty_url, monkeypatch, capsys
):
    real = transfer.table_checksum

    def wrong_for_scans(db, table, columns, order):
        count, digest = real(db, table, columns, order)
        on_server = getattr(db, "engine", "sqlite") == "postgresql"
        return (count, "0" * 64) if table == "form_scans" and on_server else (count, digest)

    monkeypatch.setattr(transfer, "table_checksum", wrong_for_scans)
    assert main(["server", "copy", str(school_file), "--db", empty_url]) == 2
    assert "form_scans klopt niet" in capsys.readouterr().err
    db = open_database(empty_url, empty_server=True)  # still empty: nothing was kept
    try:
        assert is_empty(db.server)
    finally:
        db.close()


@pytest.mark.parametrize("kind", ["damaged", "foreign", "too_new"])
def test_a_file_that_cannot_be_opened_is_refused_as_every_command_refuses_it(
    kind, school_file, empty_url, tmp_path
):
    path = tmp_path / f"{kind}.sqlite"
    if kind == "damaged":
        data = school_file.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    else:
        conn = sqlite.connect(path)
        if kind == "foreign":
            conn.execute("CREATE TABLE klanten (id INTEGER PRIMARY KEY, naam TEXT)")
        else:
            path.unlink()
            conn.close()
            open_database(path).close()
            conn = sqlite.connect(path)
            conn.execute(f"PRAGMA user_version = {migrations.LATEST_VERSION + 1}")
        conn.commit()
        conn.close()
    before = path.read_bytes()
    copied = run_cli("server", "copy", path, "--db", empty_url)
    opened = run_cli("cases", "--db", path)
    assert copied.returncode == opened.returncode == 2
    assert one_line_error(copied) == one_line_error(opened)
    assert path.read_bytes() == before
    db = open_database(empty_url, empty_server=True)
    try:
        assert is_empty(db.server)
    finally:
        db.close()


# -- backup of a server register, restore into an empty one -----------------------------------


@pytest.fixture
def server_register(school_file, empty_url):
    assert main(["server", "copy", str(school_file), "--db", empty_url]) == 0
    return empty_url


def test_backup_of_a_server_is_an_ordinary_register_file(
    server_register, school_file, tmp_path, capsys
):
    capsys.readouterr()
    out = tmp_path / "op reis <Grave> & co.sqlite"
    assert main(["backup", "--db", server_register, "-o", str(out)]) == 0
    assert f"Back-up gemaakt: {out}" in capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]  # no side files left
    assert out.stat().st_mode & 0o777 == 0o600
    # offline, read-only, anywhere: a plain file in rollback-journal mode, healthy
    assert main(["verify", "--db", str(out)]) == 0
    copy = open_database(out, read_only=True)
    source = open_database(school_file, read_only=True)
    try:
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert _fingerprint(copy) == _fingerprint(source)
    finally:
        copy.close()
        source.close()


def test_backup_is_one_snapshot_while_another_seat_writes(server_register, tmp_path, monkeypatch):
    other = open_database(server_register)
    real = transfer._copy_table

    def copy_and_meanwhile_write(source, target, table, columns):
        real(source, target, table, columns)
        if table == "audit_log":  # copied first; another seat adds to it and to the cases
            add_case(other, summary="Tijdens de back-up")

    monkeypatch.setattr(transfer, "_copy_table", copy_and_meanwhile_write)
    out = tmp_path / "momentopname.sqlite"
    try:
        before = other.execute("SELECT count(*) FROM cases").fetchone()[0]
        assert main(["backup", "--db", server_register, "-o", str(out)]) == 0
        assert other.execute("SELECT count(*) FROM cases").fetchone()[0] == before + 1
    finally:
        other.close()
    copy = open_database(out, read_only=True)
    try:
        assert copy.execute("SELECT count(*) FROM cases").fetchone()[0] == before
        summaries = {r[0] for r in copy.execute("SELECT summary FROM cases")}
        assert "Tijdens de back-up" not in summaries
    finally:
        copy.close()


def test_backup_of_a_server_needs_a_new_file(server_register, school_file, tmp_path, capsys):
    assert main(["backup", "--db", server_register]) == 2
    assert "-o BESTAND.sqlite" in capsys.readouterr().err
    before = school_file.read_bytes()
    assert main(["backup", "--db", server_register, "-o", str(school_file)]) == 2
    assert school_file.read_bytes() == before
    assert list(tmp_path.iterdir()) == []


def test_restore_puts_a_backup_into_an_empty_server_database(
    server_register, postgres_server, tmp_path, capsys
):
    out = tmp_path / "backup.sqlite"
    assert main(["backup", "--db", server_register, "-o", str(out)]) == 0
    fresh = postgres_server.new_database()
    try:
        capsys.readouterr()
        assert main(["restore", str(out), "--db", fresh]) == 0
        assert f"Teruggezet: {out} naar {fresh}" in capsys.readouterr().out
        restored, original = open_database(fresh), open_database(server_register)
        try:
            assert _fingerprint(restored) == _fingerprint(original)
        finally:
            restored.close()
            original.close()
        assert main(["restore", str(out), "--db", fresh]) == 2  # not empty any more
        assert "niet leeg" in capsys.readouterr().err
        assert main(["restore", "--db", fresh]) == 2
        assert "noem de back-up" in capsys.readouterr().err
    finally:
        postgres_server.drop(fresh)


# -- the demo school, as a file and as its copy on the server ---------------------------------


@pytest.fixture(scope="module")
def demo_school(tmp_path_factory, postgres_server):
    """The 2,000-pupil demo register as a file, and its `server copy` (module scope: made
    once, only read by the tests)."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    with clock.fixed(SESSION_NOW):
        assert main(["init", "--db", str(path), "--demo", "--pupils", "2000"]) == 0
    url = postgres_server.new_database()
    assert main(["server", "copy", str(path), "--db", url]) == 0
    yield path, url
    postgres_server.drop(url)


def _answer(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out


def test_the_copy_answers_every_question_as_the_file_did(demo_school, capsys):
    """check for every class, the takedown list and the case list: the same answers, word
    for word, from the file and from its copy on the server."""
    path, url = demo_school
    db = open_database(path, read_only=True)
    try:
        classes = [row[0] for row in db.execute("SELECT DISTINCT class_name FROM pupils")]
    finally:
        db.close()
    assert len(classes) > 20
    questions = [("takedowns", "--json"), ("cases", "--json")] + [
        ("check", "--purpose", "website", "--class", name, "--json") for name in sorted(classes)
    ]
    differing = []
    for question in questions:
        on_file = _answer(capsys, *question, "--db", str(path))
        on_server = _answer(capsys, *question, "--db", url)
        if on_file != on_server:
            differing.append(question)
    assert differing == []
    # and the answers are about something: pupils who may and may not, open takedowns
    code, out = _answer(capsys, "takedowns", "--json", "--db", url)
    assert code == 1 and '"open"' in out
