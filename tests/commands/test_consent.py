"""The consent command line: import-pupils, import-consents and check, as IT scripts use them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta

import pytest

from merlet_desk.cli import main
from merlet_desk.domain import consent as rules
from merlet_desk.domain.consent import ConsentSettings
from merlet_desk.store import decisions as store
from merlet_desk.store import open_database
from merlet_desk.store import pupils as pupil_store
from merlet_desk.store.consent_settings import save_consent_settings
from merlet_desk.store.informed import mark_informed
from tests.helpers import TODAY, born_aged

# First-years of 12 or 13, whatever day the suite runs (tests.helpers.born_aged).
PUPILS = (
    "leerlingnummer;roepnaam;tussenvoegsel;achternaam;geboortedatum;klas;locatie\n"
    f"1001;Joëlle;van den;Broek;{born_aged(13, 200):%d-%m-%Y};1A;Cuijk\n"
    f"1002;Berkay;;Öztürk;{born_aged(12, 300):%d-%m-%Y};1A;Cuijk\n"
    f"1003;Zofia;;Łęcka;{born_aged(13, 5):%d-%m-%Y};1A;Cuijk\n"
    f"1004;Meryem;;Boujdaini;{born_aged(13, 100):%d-%m-%Y};2B;Grave\n"
)


def consents_file(tmp_path, on: date):
    day = on.strftime("%d-%m-%Y")
    path = tmp_path / "besluiten.csv"
    path.write_text(
        "leerlingnummer,doel,besluit,gegeven_door,naam_gever,datum\n"
        f"1001,website,ja,ouder,Anna van den Broek,{day}\n"
        f"1002,website,nee,ouder,Emre Öztürk,{day}\n"
        f"1004,website,ja,voogd,Fatima Boujdaini,{day}\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def filled(tmp_path, db_path, capsys):
    pupils = tmp_path / "leerlingen.csv"
    pupils.write_text(PUPILS, encoding="utf-8")
    assert main(["init", "--db", str(db_path)]) == 0  # only init creates a database (issue 13)
    assert main(["import-pupils", str(pupils), "--db", str(db_path)]) == 0
    assert "4 toegevoegd, 0 bijgewerkt, 0 ongewijzigd" in capsys.readouterr().out
    assert main(["import-consents", str(consents_file(tmp_path, TODAY)), "--db", str(db_path)]) == 0
    assert "3 besluiten toegevoegd" in capsys.readouterr().out
    return db_path


def test_check_a_class_exit_1_with_reasons(filled, capsys):
    assert main(["check", "--db", str(filled), "--purpose", "website", "--class", "1A"]) == 1
    out = capsys.readouterr().out
    assert "Mag erop (1):" in out
    assert "1001  Joëlle van den Broek (1A)" in out
    assert "Mag er niet op (2):" in out
    assert out.index("Łęcka") < out.index("Öztürk")  # register order: by last name
    assert "1002  Berkay Öztürk (1A): geweigerd" in out
    assert "1003  Zofia Łęcka (1A): niets vastgelegd" in out


def test_check_json_shape(filled, capsys):
    code = main(
        [
            "check",
            "--db",
            str(filled),
            "--purpose",
            "website",
            "--pupils",
            "1001,1002, 1003",
            "--json",
        ]
    )
    assert code == 1
    assert json.loads(capsys.readouterr().out) == {
        "purpose": "website",
        "date": TODAY.isoformat(),
        "allowed": [
            {"pupil": "1001", "name": "Joëlle van den Broek", "flags": [], "informed_on": None}
        ],
        "blocked": [
            {"pupil": "1002", "name": "Berkay Öztürk", "reason": "refused"},
            {"pupil": "1003", "name": "Zofia Łęcka", "reason": "no_record"},
        ],
    }


def test_check_everyone_allowed_exit_0(filled, capsys):
    code = main(["check", "--db", str(filled), "--purpose", "website", "--pupils", "1001,1004"])
    assert code == 0
    assert "Mag er niet op (0):" in capsys.readouterr().out


def test_check_on_a_date_before_the_decisions(filled, capsys):
    earlier = (TODAY - timedelta(days=1)).isoformat()
    args = ["check", "--db", str(filled), "--purpose", "website", "--pupils", "1001", "--on"]
    assert main([*args, earlier, "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["blocked"][0]["reason"] == "no_record"


def test_check_turned_16_flag(tmp_path, db_path, capsys):
    # A parent's grant early in this school year; the pupil turns 16 ten days later and the check
    # looks 20 days after the grant: still this school year, so the grant holds, flagged. On the
    # first days of a school year that check day lies a little ahead of today.
    year_start, _ = rules.school_year(TODAY)
    granted_on = max(year_start, TODAY - timedelta(days=20))
    sixteenth_birthday = granted_on + timedelta(days=10)
    born = sixteenth_birthday.replace(year=sixteenth_birthday.year - 16)
    check_on = granted_on + timedelta(days=20)
    db = open_database(db_path)
    pupil_store.save_pupil(db, "2001", "Şükrü", "", "Yılmaz", born, "4V", "Mill")
    store.record_decision(db, "2001", "press", "granted", "parent", "Ahmet", granted_on)
    db.close()
    args = ["check", "--db", str(db_path), "--purpose", "press", "--pupils", "2001"]
    assert main([*args, "--on", check_on.isoformat(), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["allowed"] == [
        {"pupil": "2001", "name": "Şükrü Yılmaz", "flags": ["turned_16"], "informed_on": None}
    ]


def test_check_a_pupil_told_after_turning_16_has_no_flag(db_path, capsys):
    """A parent's consent kept after 16: flagged until the officer records that the pupil was
    told, then plain, with the day in the JSON; the text no longer says "informeren"."""
    db = open_database(db_path)
    save_consent_settings(db, ConsentSettings(validity=rules.UNTIL_WITHDRAWN))
    for number, first, last in (("2001", "Zofia", "Łęcka"), ("2002", "Berkay", "Öztürk")):
        pupil_store.save_pupil(db, number, first, "", last, born_aged(16, 40), "4V", "Mill")
        given = TODAY - timedelta(days=700)
        store.record_decision(db, number, "press", "granted", "parent", "<Ouder> & Zn", given)
    told = TODAY - timedelta(days=2)
    mark_informed(db, ["2001"], told)
    db.close()
    args = ["check", "--db", str(db_path), "--purpose", "press", "--pupils", "2001,2002"]
    assert main([*args, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["allowed"] == [
        {"pupil": "2001", "name": "Zofia Łęcka", "flags": [], "informed_on": told.isoformat()},
        {"pupil": "2002", "name": "Berkay Öztürk", "flags": ["turned_16"], "informed_on": None},
    ]
    assert main(args) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "  2001  Zofia Łęcka (4V)" in lines
    assert "  2002  Berkay Öztürk (4V) [16 geworden — leerling informeren]" in lines


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--purpose", "billboards", "--class", "1A"], "Onbekend doel 'billboards'"),
        (["--purpose", "website", "--class", "9Z"], "Klas '9Z' heeft geen leerlingen"),
        (["--purpose", "website", "--pupils", "1001,4242"], "Onbekende leerling 4242"),
        (["--purpose", "website", "--pupils", " , "], "minstens één"),
        (["--purpose", "website", "--class", "1A", "--on", "2026-02-30"], "onmogelijke datum"),
    ],
)
def test_check_bad_input_exit_2(filled, capsys, args, message):
    assert main(["check", "--db", str(filled), *args]) == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert captured.out == ""


def test_check_needs_class_or_pupils(filled, capsys):
    with pytest.raises(SystemExit) as info:
        main(["check", "--db", str(filled), "--purpose", "website"])
    assert info.value.code == 2


def test_check_does_not_create_a_database(tmp_path, capsys):
    missing = tmp_path / "nergens.sqlite"
    assert main(["check", "--db", str(missing), "--purpose", "website", "--class", "1A"]) == 2
    assert not missing.exists()


def test_failed_import_exit_2_lists_problems_and_changes_nothing(filled, tmp_path, capsys):
    bad = tmp_path / "fout.csv"
    bad.write_text(
        "leerlingnummer;doel;besluit;gegeven_door;naam_gever;datum\n"
        "1001;website;ja;leerling;;01-09-2025\n"
        "4242;website;nee;ouder;X;31-09-2025\n",
        encoding="utf-8",
    )
    db = open_database(filled)
    before = db.execute("SELECT count(*) FROM decisions").fetchone()[0]
    db.close()
    assert main(["import-consents", str(bad), "--db", str(filled)]) == 2
    err = capsys.readouterr().err
    assert "rij 2, kolom gegeven_door" in err
    assert "rij 3, kolom leerlingnummer: onbekende leerling 4242" in err
    assert "rij 3, kolom datum: onmogelijke datum '31-09-2025'" in err
    db = open_database(filled)
    assert db.execute("SELECT count(*) FROM decisions").fetchone()[0] == before
    db.close()


def test_reimport_pupils_reports_absent(filled, tmp_path, capsys):
    fewer = tmp_path / "minder.csv"
    fewer.write_text("\n".join(PUPILS.splitlines()[:3]) + "\n", encoding="utf-8")
    assert main(["import-pupils", str(fewer), "--db", str(filled)]) == 0
    out = capsys.readouterr().out
    assert "0 toegevoegd, 0 bijgewerkt, 2 ongewijzigd" in out
    assert "Niet in het bestand (1): 1003" in out  # 1004 is at Grave, not in this file


def test_import_pupils_with_location_option(tmp_path, db_path, capsys):
    path = tmp_path / "mill.csv"
    path.write_text(
        "stamnr\troepnaam\tachternaam\tgeboortedatum\tklas\n5001\tLina\tHaddad\t2012-01-01\t1M\n",
        encoding="utf-8",
    )
    assert main(["init", "--db", str(db_path)]) == 0
    assert main(["import-pupils", str(path), "--db", str(db_path), "--location", "Mill"]) == 0
    db = open_database(db_path)
    assert pupil_store.get_pupil(db, "5001").location == "Mill"
    db.close()


def test_check_through_a_real_process(filled):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "merlet_desk",
            "check",
            "--db",
            str(filled),
            "--purpose",
            "website",
            "--class",
            "1A",
            "--json",
        ],
        capture_output=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 1
    data = json.loads(proc.stdout.decode("utf-8"))
    assert [b["reason"] for b in data["blocked"]] == ["no_record", "refused"]
    assert data["blocked"][1]["name"] == "Berkay Öztürk"


# -- import-consents with a parent portal's export (issue 29)

PORTAL = (
    "Leerlingnummer;Roepnaam;Achternaam;Toestemming website;Social media;Foto's intern;Opmerking\n"
    "1001;Joëlle;Broek;Ja;Nee;Ja;\n"
    "1002;Berkay;Öztürk;Nee;;Nee;bel eerst\n"
    "1003;Zofia;Łęcka;✓;✓;;\n"
)


def portal_file(tmp_path, text=PORTAL, name="portaal.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def count_decisions(db_path) -> int:
    db = open_database(db_path)
    try:
        return db.execute("SELECT count(*) FROM decisions").fetchone()[0]
    finally:
        db.close()


def test_portal_export_with_map_and_ignore(filled, tmp_path, capsys):
    args = ["import-consents", str(portal_file(tmp_path)), "--db", str(filled)]
    before = count_decisions(filled)
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "onbekende kolommen 'Foto's intern', 'Opmerking'" in err
    assert count_decisions(filled) == before
    mapped = [*args, "--map", "Foto's intern=screens", "--ignore", "Opmerking"]
    assert main([*mapped, "--dry-run"]) == 0
    out = capsys.readouterr().out
    # 1001 website ja and 1002 website nee are in the register already (filled)
    assert "5 besluiten zouden worden vastgelegd (3 toestemmingen, 2 weigeringen" in out
    assert "2 ongewijzigd" in out and "(proef: er is niets opgeslagen)" in out
    assert count_decisions(filled) == before
    assert main(mapped) == 0
    assert "5 besluiten toegevoegd" in capsys.readouterr().out
    assert count_decisions(filled) == before + 5
    # next time the same headers map themselves
    assert main([*args, "--json", "--dry-run"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["counts"]["unchanged"] == 7 and report["counts"]["granted"] == 0
    assert {"header": "Foto's intern", "target": "purpose:screens"} in report["columns"]


def test_portal_conflict_exit_1_and_json(filled, tmp_path, capsys):
    db = open_database(filled)
    store.record_decision(db, "1003", "website", rules.REFUSED, rules.PARENT, "P. Łęcki", TODAY)
    db.close()
    text = "Leerlingnummer;Website;Laatst gewijzigd\n" + (
        f"1003;Ja;{TODAY - timedelta(days=2):%d-%m-%Y}\n"
    )
    path = portal_file(tmp_path, text)
    assert main(["import-consents", str(path), "--db", str(filled), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["counts"] == {
        "granted": 0,
        "refused": 0,
        "withdrawn": 0,
        "unchanged": 0,
        "conflicts": 1,
        "unknown_pupils": 0,
        "not_answered": 0,
    }
    assert report["conflicts"] == [
        {
            "row": 2,
            "pupil": "1003",
            "purpose": "website",
            "file": "ja",
            "file_date": (TODAY - timedelta(days=2)).isoformat(),
            "register": "refused",
            "register_date": TODAY.isoformat(),
            "register_method": "paper",
        }
    ]


def test_portal_dry_run_names_the_takedowns_and_takedowns_has_them(filled, tmp_path, capsys):
    from merlet_desk.store import items as item_store
    from merlet_desk.store import publications as pub
    from tests.helpers import all_agreements

    db = open_database(filled)
    item = item_store.create_item(db, "Open dag", pupil_numbers=["1001", "1004"])
    publication = pub.publish(
        db, item.id, "website", TODAY, "merletcollege.nl/open-dag", checklist=all_agreements()
    )
    db.close()
    path = portal_file(tmp_path, "Stamnr,Website\n1001,Nee\n1004,Ja\n", name="maandag.csv")
    args = ["import-consents", str(path), "--db", str(filled)]
    assert main([*args, "--dry-run", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["counts"]["withdrawn"] == 1
    assert report["takedowns"] == [
        {
            "publication": publication.id,
            "item": "Open dag",
            "channel": "website",
            "link": "merletcollege.nl/open-dag",
            "pupils": ["1001"],
        }
    ]
    assert main(["takedowns", "--db", str(filled), "--json"]) == 0  # nothing open yet
    capsys.readouterr()
    assert main(args) == 0
    assert "Deze publicaties moeten nu offline" in capsys.readouterr().out
    assert main(["takedowns", "--db", str(filled), "--json"]) == 1
    open_now = json.loads(capsys.readouterr().out)["open"]
    assert [(t["publication"], t["pupil"], t["reason"]) for t in open_now] == [
        (publication.id, "1001", "withdrawn")
    ]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--map", "Website"], "--map 'Website': schrijf het als \"KOLOM=DOEL\"."),
        (["--map", "Website=billboards"], "--map: onbekend doel 'billboards'"),
        (["--received", "31-02-2026"], "--received: onmogelijke datum '31-02-2026'"),
        (["--ignore", "Bestaat niet"], "de kolom 'Bestaat niet' (--map of --ignore) staat niet"),
    ],
)
def test_portal_bad_options_exit_2(filled, tmp_path, capsys, extra, message):
    path = portal_file(tmp_path, "Stamnr,Website\n1001,Nee\n")
    before = count_decisions(filled)
    assert main(["import-consents", str(path), "--db", str(filled), *extra]) == 2
    assert message in capsys.readouterr().err
    assert count_decisions(filled) == before


def test_portal_received_dates_answers_without_a_date_column(filled, tmp_path, capsys):
    path = portal_file(tmp_path, "Stamnr,Social media\n1002,Ja\n")
    on = TODAY - timedelta(days=5)
    assert main(["import-consents", str(path), "--db", str(filled), "--received", f"{on}"]) == 0
    db = open_database(filled)
    decision = store.decisions_for(db, "1002", "social_media")[-1]
    db.close()
    assert (decision.received_on, decision.method, decision.given_by) == (
        on,
        "portal",
        rules.PARENT,
    )


def test_dry_run_works_in_read_only_mode(filled, tmp_path, capsys):
    path = portal_file(tmp_path, "Stamnr,Website\n1001,Nee\n")
    args = ["import-consents", str(path), "--db", str(filled), "--read-only"]
    assert main([*args, "--dry-run"]) == 0
    assert "1 besluit zou worden vastgelegd" in capsys.readouterr().out
    assert main(args) == 2
    assert "Alleen-lezen" in capsys.readouterr().err
