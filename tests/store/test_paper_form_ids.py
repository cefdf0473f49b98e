"""Paper forms and the register's identity: a scanned form is read for the pupil it was printed
for, whatever happened to the database since it was printed (restore, purge, upgrade).

- Form numbers never come back: not after a restore, not after a purge.
- The pupil in the form's code is compared with the pupil the form was printed for; a mismatch
  goes to a person and is never recorded by `--confirm-certain`.
- The register's paper identity exists from `init` on, is in every backup and survives a
  restore to a backup made before any form was printed; an older file gets one by migration,
  keeping one it already made.
- `import-scans --confirm-certain` backs up before it records.
"""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from merlet_desk import clock
from merlet_desk.cli import main
from merlet_desk.domain import paper_form as layout
from merlet_desk.imports import scans
from merlet_desk.reports.consent_forms import build_consent_forms
from merlet_desk.store import decisions as store
from merlet_desk.store import migrations, open_database
from merlet_desk.store import paper_forms as forms_store
from merlet_desk.store import pupils as pupil_store
from merlet_desk.store.backup import backup_folder, list_backups, make_backup, restore
from merlet_desk.store.retention import purge
from tests.helpers import PAPER_PRINTED, PAPER_TODAY, paper_school, sqlite
from tests.helpers import issue_forms as issue
from tests.helpers import scan_form as scan_to

ANSWERS = [layout.JA, layout.JA, layout.JA]


@pytest.fixture(autouse=True)
def _today():
    with clock.fixed(PAPER_TODAY):
        yield


def run_cli(capsys, *args):
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def decisions(db, number):
    return [(d.purpose, d.decision) for d in store.decisions_for(db, number)]


# --------------------------------------------------------------------------- form numbers


def test_a_restore_does_not_give_a_new_form_the_number_of_one_on_paper(db_path, tmp_path):
    db = open_database(db_path)
    paper_school(db)
    issue(db, ["1001"], tmp_path / "a")
    backup = make_backup(db, db_path, "handmatig", now=datetime(2026, 9, 1, 11, 0))
    [berkay], berkay_pdf = issue(db, ["1002"], tmp_path / "b")  # handed out, then lost
    db.close()
    restore(backup, db_path)

    db = open_database(db_path)
    [zofia], _ = issue(db, ["1003"], tmp_path / "c")
    assert zofia.id != berkay.id
    # Berkay's parent returns the form printed before the restore: never Zofia's choices.
    path = scan_to(tmp_path / "berkay.png", berkay_pdf, 0, ANSWERS)
    [page] = scans.read_stack(db, [path])
    assert page.status == forms_store.FORM_UNKNOWN
    scans.record_certain(db, [page])
    assert decisions(db, "1003") == [] and decisions(db, "1002") == []
    db.close()


def test_a_purge_does_not_free_the_numbers_of_the_purged_forms(db, tmp_path):
    paper_school(db)
    pupil_store.save_pupil(db, "1009", "Şükrü", "", "Yılmaz", "2008-01-02", "6V", "Mill")
    [sukru], sukru_pdf = issue(db, ["1009"], tmp_path / "a")  # the highest number
    pupil_store.mark_pupils_left(db, ["1009"], "2020-07-01")
    purge(db, [pupil_store.get_pupil(db, "1009").id], years=2)
    [joelle], _ = issue(db, ["1001"], tmp_path / "b")
    assert joelle.id != sukru.id

    path = scan_to(tmp_path / "sukru.png", sukru_pdf, 0, ANSWERS)
    [page] = scans.read_stack(db, [path])
    assert page.status == forms_store.FORM_UNKNOWN and page.form is None
    scans.record_certain(db, [page])
    assert decisions(db, "1001") == []


def test_form_numbers_are_unpredictable_and_unique(db, tmp_path):
    paper_school(db)
    forms, _ = issue(db, ["1001", "1002", "1003", "1004"], tmp_path)
    ids = [form.id for form in forms]
    assert len(set(ids)) == 4
    assert ids != sorted(ids) or ids[-1] - ids[0] > 1000  # not a counter
    assert all(len(form.label) >= 10 for form in forms)


# --------------------------------------------------------------------------- the pupil check


def test_a_form_whose_code_names_another_pupil_goes_to_a_person(db, db_target, tmp_path, capsys):
    """The QR code names the pupil the paper was printed for; the database's form of that
    number is for someone else: reported, never recorded."""
    paper_school(db)
    store.record_decision(
        db, "1002", "social_media", "refused", "parent", "Ayşe Öztürk", PAPER_PRINTED.date()
    )
    [joelle], _ = issue(db, ["1001"], tmp_path / "a")
    berkay = pupil_store.get_pupil(db, "1002")
    # Berkay's form, printed with the number the database gives Joëlle's form.
    stray = forms_store.IssuedForm(
        joelle.id,
        berkay,
        layout.SIGNER_PUPIL,
        joelle.issued_on,
        joelle.purposes,
        joelle.database_id,
    )
    pdf = tmp_path / "berkay.pdf"
    with clock.fixed(PAPER_PRINTED):
        build_consent_forms(db, pdf, [stray])
    path = scan_to(tmp_path / "berkay.png", pdf, 0, ANSWERS)

    code, out, _ = run_cli(
        capsys, "import-scans", path, "--db", db_target, "--confirm-certain", "--json"
    )
    [result] = json.loads(out)["results"]
    assert code == 1
    assert result["status"] == forms_store.FORM_PUPIL_MISMATCH and not result["certain"]
    assert result["pupil_on_form"] == "1002" and result["pupil"] == "1001"
    assert "1002" in result["message"] and "1001" in result["message"]
    assert not result["recorded"]
    assert decisions(db, "1001") == []
    assert decisions(db, "1002") == [("social_media", "refused")]

    [page] = scans.read_stack(db, [path])
    with pytest.raises(Exception, match="1002"):
        scans.record_page(db, page)


def test_a_form_printed_before_the_code_named_the_pupil_is_read_but_checked_by_a_person(
    db, tmp_path, monkeypatch
):
    """Forms already on paper (code without the pupil's number) keep reading; since their
    number may have been given out twice before, a person compares the name on the paper."""
    paper_school(db)
    [form], _ = issue(db, ["1001"], tmp_path / "a")
    monkeypatch.setattr(
        forms_store.IssuedForm,
        "code",
        property(lambda self: layout.FormCode(self.database_id, self.id)),
    )
    assert form.code.payload.startswith("MD1:")
    pdf = tmp_path / "oud.pdf"
    with clock.fixed(PAPER_PRINTED):
        build_consent_forms(db, pdf, [form])
    path = scan_to(tmp_path / "oud.png", pdf, 0, ANSWERS)
    [page] = scans.read_stack(db, [path])
    assert page.status == forms_store.FORM_OK and page.form.id == form.id
    assert page.reading.certain and not page.certain
    assert "naam" in page.message
    assert scans.record_certain(db, [page]) == (0, 0)
    scans.record_page(db, page)  # a person looked: then it is recorded
    assert len(decisions(db, "1001")) == 3


# --------------------------------------------------------------------------- the identity


def test_the_register_has_its_paper_identity_from_init_in_every_backup(tmp_path, capsys):
    path = tmp_path / "register.sqlite"
    code, _, _ = run_cli(capsys, "init", "--db", path)
    assert code == 0
    conn = sqlite.connect(path)
    [(value,)] = conn.execute(
        "SELECT value FROM settings WHERE key = ?", [forms_store.DATABASE_ID_SETTING]
    ).fetchall()
    conn.close()
    identity = json.loads(value)
    assert layout.parse_payload(f"MD2:{identity}:123456789:1001") is not None

    db = open_database(path)
    backup = make_backup(db, path, "handmatig", now=datetime(2026, 9, 1, 8, 0))
    paper_school(db)
    forms, pdf = issue(db, ["1001"], tmp_path)
    assert forms[0].database_id == identity
    db.close()

    # Back to the backup made before any form was printed: the forms handed out are ours.
    restore(backup, path)
    db = open_database(path)
    assert forms_store.database_id(db) == identity
    paper_school(db)
    scanned = scan_to(tmp_path / "j.png", pdf, 0, ANSWERS)
    [page] = scans.read_stack(db, [scanned])
    assert page.status != forms_store.FORM_FOREIGN
    assert page.status == forms_store.FORM_UNKNOWN  # that form was printed after the backup
    db.close()


def _schema9(path, monkeypatch, identity=None):
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:9])
    monkeypatch.setattr(migrations, "LATEST_VERSION", 9)
    db = open_database(path)
    paper_school(db)
    if identity:
        db.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?)",
            [forms_store.DATABASE_ID_SETTING, json.dumps(identity)],
        )
    db.conn.commit()
    db.close()
    monkeypatch.undo()


def test_migration_keeps_an_identity_already_made(tmp_path, monkeypatch):
    path = tmp_path / "oud.sqlite"
    _schema9(path, monkeypatch, identity="0BADCAFE")
    db = open_database(path)
    assert forms_store.database_id(db) == "0BADCAFE"
    db.close()


def test_migration_gives_every_copy_of_an_older_register_the_same_identity(tmp_path, monkeypatch):
    """A file from before the identity existed and its backups (also from before) migrate to one
    identity, so forms printed after the upgrade still read after a restore to such a backup."""
    import shutil

    path = tmp_path / "oud.sqlite"
    _schema9(path, monkeypatch)
    copy = tmp_path / "kopie.sqlite"
    shutil.copy(path, copy)
    db = open_database(path)
    other = open_database(copy)
    assert forms_store.database_id(db) == forms_store.database_id(other)
    assert forms_store.database_id(db)
    db.close()
    other.close()

    fresh = open_database(tmp_path / "nieuw.sqlite")
    assert forms_store.database_id(fresh) not in (
        None,
        forms_store.database_id(open_database(copy)),
    )
    fresh.close()


# --------------------------------------------------------------------------- the backup


@pytest.mark.sqlite_only("the backup beside the file; a server's backups are IT's")
def test_confirm_certain_backs_up_before_it_records(db, db_path, tmp_path, capsys):
    paper_school(db)
    _, pdf = issue(db, ["1001"], tmp_path)
    path = scan_to(tmp_path / "j.png", pdf, 0, ANSWERS)
    folder = backup_folder(db_path)
    before = list_backups(folder, db_path) if folder.exists() else []

    code, out, _ = run_cli(capsys, "import-scans", path, "--db", db_path)  # reads only
    assert code == 0 and (list_backups(folder, db_path) if folder.exists() else []) == before

    code, out, _ = run_cli(capsys, "import-scans", path, "--db", db_path, "--confirm-certain")
    assert code == 0 and "1 formulier vastgelegd" in out
    made = [b for b in list_backups(folder, db_path) if b not in before]
    assert [b.reason for b in made] == ["voor-import"]
    backup = sqlite.connect(made[0].path)
    assert backup.execute("SELECT count(*) FROM form_scans").fetchone()[0] == 0
    assert backup.execute("SELECT count(*) FROM pupils").fetchone()[0] == 4
    backup.close()
