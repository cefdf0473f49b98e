"""Data several test modules set up: schools with pupils, consents, cases, takedowns, paper
forms and backups."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

from merlet_desk import clock
from tests.helpers.clock import TODAY, born_aged


def dump_tables(db) -> dict[str, list]:
    """Every row of every table: to prove that something failed (or only read) changed
    nothing. On either engine."""
    from merlet_desk.store.engine.dialect import table_names

    return {
        t: sorted(map(tuple, db.execute(f'SELECT * FROM "{t}"').fetchall()), key=repr)
        for t in table_names(db)
    }


def write_table(
    tmp_path,
    rows,
    *,
    header,
    delimiter=";",
    encoding="utf-8",
    bom=False,
    name="leerlingen.csv",
    newline="\r\n",
):
    """An import file as a school's administration exports it: a header and rows of cells."""
    import codecs

    text = newline.join(delimiter.join(cells) for cells in [header, *rows]) + newline
    data = text.encode(encoding)
    if bom:
        data = codecs.BOM_UTF8 + data
    path = tmp_path / name
    path.write_bytes(data)
    return path


def add_case(db, **overrides):
    """A case of ten days ago in Grave (a belittling TikTok video), stored; `overrides` replace
    any field of `Case`."""
    from datetime import timedelta

    from merlet_desk.domain.cases import Case, CasePerson
    from merlet_desk.store.cases import create_case

    values = dict(
        incident_date=TODAY - timedelta(days=10),
        report_date=TODAY - timedelta(days=9),
        location="Grave",
        category="belittling_video",
        platform="tiktok",
        summary="Filmpje over een docent",
        description="Video met de tekst <b>Jan</b> & Zn",
        people=[CasePerson("pupil", "Şükrü Yılmaz")],
        agreements=[3, 13],
    )
    values.update(overrides)
    return create_case(db, Case(**values))


def add_consent_school(db) -> None:
    """Six pupils over three locations, with decisions for `website` in several states.

    Every decision is dated the program's today so none has expired whatever the date of the
    test run.
    """
    from merlet_desk import clock
    from merlet_desk.domain import consent as rules
    from merlet_desk.store import decisions as store
    from merlet_desk.store import pupils as pupil_store

    pupils = [
        ("1001", "Joëlle", "van den", "Broek", born_aged(13, 40), "1A", "Cuijk"),
        ("1002", "Berkay", "", "Öztürk", born_aged(16, 0), "4B", "Grave"),
        ("1003", "Zofia", "", "Łęcka", born_aged(12, 100), "1A", "Cuijk"),
        ("1004", "Meryem", "", "Boujdaini", born_aged(14, 3), "2C", "Mill"),
        ("1005", "Şükrü", "", "Yılmaz", born_aged(17, 20), "5H", "Mill"),
        ("1006", "Jan", "", "<b>Jan</b> & Zn", born_aged(12, 5), "1A", "Cuijk"),
    ]
    for number, first, prefix, last, born, class_name, location in pupils:
        pupil_store.save_pupil(db, number, first, prefix, last, born, class_name, location)
    decide = store.record_decision
    day = clock.today()  # the program's today: `settled_today` may have moved it
    decide(db, "1003", "website", rules.REFUSED, rules.PARENT, "P. Łęcki", day)
    decide(db, "1004", "website", rules.GRANTED, rules.PARENT, "F. Boujdaini", day)
    decide(db, "1004", "website", rules.WITHDRAWN, rules.PARENT, "F. Boujdaini", day)
    decide(db, "1005", "website", rules.GRANTED, rules.PUPIL, "", day)
    decide(db, "1006", "website", rules.GRANTED, rules.GUARDIAN, "K. Zn", day)
    decide(db, "1006", "social_media", rules.GRANTED, rules.PARENT, "<b>Jan</b> & Zn sr.", day)


# The consent reports' school: six pupils with every kind of decision (fixed dates in 2026-27).
REPORT_PUPILS = [
    ("1001", "Şükrü", None, "Yılmaz", "2012-03-04", "2A", "Cuijk"),
    ("1002", "İlayda", None, "Gök", "2012-05-06", "2A", "Cuijk"),
    ("1003", "Zofia", None, "Łęcka", "2009-01-02", "4B", "Cuijk"),
    ("1004", "Joëlle", "van den", "Broek", "2012-07-08", "2A", "Cuijk"),
    ("1005", "<b>Jan</b>", None, "& Zn", "2012-09-10", "4B", "Cuijk"),
    ("2001", "Berkay", None, "Öztürk", "2011-02-03", "3C", "Grave"),
]


def fill_report_school(db, extra_2a: int = 0) -> None:
    """REPORT_PUPILS with every kind of decision; optionally many more in 2A (long tables)."""
    from merlet_desk.store import decisions as store
    from merlet_desk.store import pupils as pupil_store

    for row in REPORT_PUPILS:
        pupil_store.save_pupil(db, *row)
    for i in range(extra_2a):
        pupil_store.save_pupil(
            db, f"3{i:03d}", "Meryem", None, f"Boujdaini{i:03d}", "2012-01-01", "2A", "Cuijk"
        )
    decide = store.record_decision
    decide(db, "1001", "website", "granted", "parent", "Ayşe Yılmaz", "2026-09-01", "paper")
    decide(db, "1001", "social_media", "refused", "parent", "Ayşe Yılmaz", "2026-09-01", "email")
    decide(db, "1003", "website", "granted", "parent", "Marek Łęcki", "2024-09-01", "paper")
    decide(db, "1003", "brochure", "granted", "pupil", "", "2026-09-01", "portal")
    decide(db, "1004", "website", "granted", "guardian", "Meryem Boujdaini", "2026-09-03", "portal")
    decide(
        db, "1004", "website", "withdrawn", "guardian", "Meryem Boujdaini", "2026-10-03", "email"
    )
    decide(db, "2001", "website", "granted", "parent", "Hatice Öztürk", "2026-09-03", "paper")


REPORT_CASE_DAY = date(2026, 11, 24)  # "today" for report_case (passed as `today=`)


def report_case(**overrides):
    """A threatening WhatsApp message in Cuijk, November 2026, with people, agreements,
    measures and care filled in (for the case reports); `overrides` replace any field."""
    from merlet_desk.domain.cases import Case, CasePerson

    values = dict(
        incident_date=date(2026, 11, 2),
        report_date=date(2026, 11, 3),
        location="Cuijk",
        category="threatening_message",
        platform="whatsapp",
        summary="Dreigend bericht in klassenapp",
        description="Een leerling kreeg een bedreigend bericht: <b>Jan</b> & Zn.",
        people=[
            CasePerson("pupil", "Berkay Öztürk", "123456"),
            CasePerson("staff", "Joëlle van den Broek"),
        ],
        agreements=[9, 13],
        measures="Gesprek met Şükrü Yılmaz\nBericht laten verwijderen",
        parents_informed=True,
        parents_informed_on=date(2026, 11, 4),
        victim_care="Vertrouwenspersoon İlayda Gök",
    )
    values.update(overrides)
    return Case(**values)


# The takedown school (issue 6): publications that must come down after a withdrawal.
TAKEDOWN_PUPILS = [
    ("1001", "Joëlle", "van den", "Broek", "2012-03-14", "2A"),
    ("1002", "Berkay", "", "Öztürk", "2012-07-02", "2A"),
    ("1003", "Zofia", "", "Łęcka", "2011-11-30", "2A"),
    ("1004", "<b>Jan</b>", "", "& Zn", "2012-09-10", "2A"),
    ("1005", "Şükrü", "", "Yılmaz", "2012-01-09", "2A"),
]
MUSICAL = "Musical <Grease> & repetitie"
LINK = "https://www.merletcollege.nl/nieuws?id=12&foto=<3>"
WITHDRAWN_ON = date(2026, 10, 5)


def all_agreements() -> list[int]:
    """Every agreement of the publishing checklist, ticked."""
    from merlet_desk.domain.publications import publish_checklist

    return [entry.agreement for entry in publish_checklist()]


def school_with_takedowns(db) -> dict:
    """Five pupils allowed on the website and in the yearbook until withdrawn; the musical
    (1001, 1002, 1004) is on both; then 1004's parent withdraws both on 5 October 2026.
    Sportdag (1003, 1005) is on the website and stays fine. Returns the publications by key
    ("website", "yearbook", "sportdag")."""
    from merlet_desk.domain import consent as rules
    from merlet_desk.domain.consent import ConsentSettings
    from merlet_desk.store import consent_settings as settings_store
    from merlet_desk.store import decisions as decision_store
    from merlet_desk.store import items as item_store
    from merlet_desk.store import publications as pub
    from merlet_desk.store import pupils as pupil_store

    checklist = all_agreements()
    settings_store.save_consent_settings(db, ConsentSettings(validity=rules.UNTIL_WITHDRAWN))
    for number, first, prefix, last, born, klass in TAKEDOWN_PUPILS:
        pupil_store.save_pupil(db, number, first, prefix, last, born, klass, "Cuijk")
        for purpose in ("website", "yearbook"):
            decision_store.record_decision(
                db, number, purpose, rules.GRANTED, rules.PARENT, "Ayşe Yılmaz", "2026-09-01"
            )
    musical = item_store.create_item(
        db, MUSICAL, pupil_numbers=["1001", "1002", "1004"], taken_on=date(2026, 9, 5)
    )
    sportdag = item_store.create_item(
        db, "Sportdag 2A", pupil_numbers=["1003", "1005"], taken_on=date(2026, 9, 7)
    )
    published = {
        "website": pub.publish(
            db, musical.id, "website", date(2026, 9, 10), LINK, checklist=checklist
        ),
        "yearbook": pub.publish(
            db,
            musical.id,
            "yearbook",
            date(2026, 9, 15),
            "Jaarboek 2026-2027, pagina 12",
            checklist=checklist,
        ),
        "sportdag": pub.publish(
            db,
            sportdag.id,
            "website",
            date(2026, 9, 12),
            "https://www.merletcollege.nl/sportdag",
            checklist=checklist,
        ),
    }
    for purpose in ("website", "yearbook"):
        decision_store.record_decision(
            db, "1004", purpose, rules.WITHDRAWN, rules.PARENT, "Meryem Boujdaini", WITHDRAWN_ON
        )
    return published


# The paper round (issue 16): forms printed on 1 September 2026, back on the 14th.
PAPER_PRINTED = datetime(2026, 9, 1, 10, 0)
PAPER_RECEIVED = date(2026, 9, 14)
PAPER_PURPOSES = ["website", "social_media", "yearbook"]
PAPER_TODAY = datetime(2026, 9, 20, 9, 0)  # the day the stack is read


def paper_school(db) -> None:
    """Four pupils for the paper round; Berkay is 16 when the forms are printed, Meryem turns
    16 between printing and the forms coming back."""
    from merlet_desk.store import pupils as store

    store.save_pupil(db, "1001", "Joëlle", "van den", "Broek", "2013-05-01", "1A", "Cuijk")
    store.save_pupil(db, "1002", "Berkay", "", "Öztürk", "2010-02-03", "4B", "Grave")
    store.save_pupil(db, "1003", "Zofia", "", "Łęcka", "2013-02-03", "1A", "Cuijk")
    store.save_pupil(db, "1004", "Meryem", "", "Boujdaini", "2010-09-10", "4B", "Grave")


def steady_scan_settings():
    """A copier on a good day: a little turned, blurred, grey, noisy and JPEG'd."""
    from merlet_desk.imaging import synthetic as syn

    return syn.ScanSettings(scale=1.02, angle=1.5, blur=0.7, paper=232, noise=4, jpeg_quality=55)


def issue_forms(db, numbers, tmp_path, purposes=PAPER_PURPOSES):
    """Print forms for these pupils on PAPER_PRINTED: (forms, the PDF)."""
    from merlet_desk.reports.consent_forms import build_consent_forms
    from merlet_desk.store import paper_forms as forms_store
    from merlet_desk.store import pupils as store

    pupils = [store.get_pupil(db, n) for n in numbers]
    tmp_path.mkdir(parents=True, exist_ok=True)
    with clock.fixed(PAPER_PRINTED):
        forms = forms_store.issue_forms(
            db, pupils, forms_store.form_purposes(db, purposes), clock.today()
        )
        pdf = tmp_path / "formulieren.pdf"
        build_consent_forms(db, pdf, forms)
    return forms, pdf


def scan_form(
    path, pdf, index, answers, *, signed=True, settings=None, seed=7, dpi=150, notes=None
):
    """Fill page `index` of the printed PDF with a ballpoint (`notes`: row index -> words
    written beside that row) and save the "scan" as an image dated PAPER_RECEIVED."""
    import random

    from PIL import Image

    from merlet_desk.imaging import synthetic as syn

    rng = random.Random(seed)
    page = syn.render_pdf_page(str(pdf), index, dpi)
    syn.fill_form(
        page,
        answers,
        rng,
        dpi,
        signed=signed,
        pen=syn.PENS["ballpoint"],
        style="tick",
        notes=notes,
    )
    image = syn.scan(page, settings or steady_scan_settings(), rng)
    Image.fromarray(image).save(path)
    stamp = datetime.combine(PAPER_RECEIVED, datetime.min.time()).timestamp() + 3600
    os.utime(path, (stamp, stamp))
    return path


def hide_qr_code(path):
    """Paint over the QR code of a scanned form (an image file made by `scan_form`): the
    corner marks still straighten the page, but no form can be read from it."""
    from PIL import Image

    from merlet_desk.domain import paper_form as layout
    from merlet_desk.imaging import synthetic as syn

    image = Image.open(path).convert("L")
    px = image.width / (layout.PAGE_WIDTH_MM + 2 * syn.SCAN_MARGIN_MM)
    x, y, size = layout.QR_BOX_MM
    left, top = (x + syn.SCAN_MARGIN_MM) * px, (y + syn.SCAN_MARGIN_MM) * px
    image.paste(
        250, (int(left - 20), int(top - 20), int(left + size * px + 20), int(top + size * px + 20))
    )
    stamp = Path(path).stat().st_mtime
    image.save(path)
    os.utime(path, (stamp, stamp))
    return path


def school_with_backup(path):
    """A closed database with 300 audited settings and a daily backup of 24-11-2026 08:30."""
    from datetime import datetime

    from merlet_desk.store import open_database
    from merlet_desk.store.backup import make_backup
    from merlet_desk.store.settings import set_setting

    db = open_database(path)
    with db.atomic():
        for i in range(300):
            set_setting(db, f"test.{i}", f"Meryem Boujdaini {i}")
    make_backup(db, path, "dagelijks", now=datetime(2026, 11, 24, 8, 30))
    db.close()
    return path


# What an encrypted register must never show in its bytes: names as UTF-8, a pupil number, a
# piece of an incident's evidence.
EVIDENCE = bytes(range(256)) * 16  # 4 kB that random bytes do not contain by chance
SECRET_NUMBER = "987650001"
SECRETS = [
    *(name.encode() for name in ("Joëlle", "Broek", "Öztürk", "Łęcka", "Boujdaini", "Yılmaz")),
    SECRET_NUMBER.encode(),
    EVIDENCE[300:364],
]


def sensitive_school(path, key=None):
    """A closed register at `path` (plain, or encrypted under `key`) with the consent school's
    pupils, one more under `SECRET_NUMBER`, and a case whose evidence is `EVIDENCE`."""
    from merlet_desk.store import open_database
    from merlet_desk.store import pupils as store
    from merlet_desk.store.cases import add_evidence

    db = open_database(path, key=key)
    add_consent_school(db)
    store.save_pupil(db, SECRET_NUMBER, "Meryem", "", "Boujdaini", born_aged(13, 1), "2C", "Mill")
    case = add_case(db)
    add_evidence(db, case.id, "bewijs.bin", EVIDENCE)
    db.close()
    return path


def leaked_secrets(path) -> list[bytes]:
    """Which of `SECRETS` can be read in the raw bytes of the file at `path`."""
    data = open(path, "rb").read()  # a file no connection of this test holds
    return [secret for secret in SECRETS if secret in data]
