"""Nothing but SQLite opens the register: every other way the program opens a file is listed
here, with why it can never be the database or one of its side files.

On POSIX, closing any descriptor of a file drops all of the process's locks on it; a plain
`open()` of the database in a process that holds a connection (the window reading the header
each time a worker thread opened a connection) let a command-line writer switch the file out of
WAL under the window and corrupt it. So questions about a file go to SQLite
(`merlet_desk.sqlite_files`), and this test reads the source: a new `open()`, `read_bytes()`,
`shutil.copy…`, `Image.open`, … anywhere in the program fails it until it is listed below with
its reason. A file the user names as input must pass `refuse_database_input` (or
`is_sqlite_file`) in the same function, which the test checks too.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "merlet_desk"

# Calls that open a file by name. `.open()` without arguments is a dialog's (Qt) and skipped.
METHODS = {"open", "read_bytes", "read_text", "write_bytes", "write_text"}
FUNCTIONS = {
    ("os", "open"),
    ("io", "open"),
    ("shutil", "copy"),
    ("shutil", "copy2"),
    ("shutil", "copyfile"),
    ("shutil", "move"),
    ("mmap", "mmap"),
    ("hashlib", "file_digest"),
    ("np", "fromfile"),
    ("numpy", "fromfile"),
    ("cv2", "imread"),
    ("pdfium", "PdfDocument"),
}
NAMES = {"open", "PdfReader"}

GUARDED = "input"  # the function itself refuses a database before it reads
ALLOWED = {
    # The program's own files, never a database.
    "domain/policy.py:agreement_titles": "data: a JSON file shipped with the program",
    "domain/publications.py:publish_checklist": "data: a JSON file shipped with the program",
    "letterhead.py:load_letterhead": "data: a JSON file shipped with the program",
    "ui/common/guide.py:guide_topics": "data: the guide (guide.md) shipped with the program",
    "store/migrations/m0002_policy.py:apply": "data: the policy text shipped with the program",
    "store/migrations/m0003_consent.py:apply": "data: purposes.json shipped with the program",
    "store/migrations/m0008_paper_forms.py:apply": "data: purposes.json shipped with the program",
    "store/location.py:_read_text": "own: merlet-desk.ini",
    "store/migrations/m0011_portal_imports.py:apply": "own: data/purposes.json",
    "store/lock.py:read_lock": "own: the <database>.lock file, another file than the database",
    "store/lock.py:_write_exclusive": "own: creates the .lock file (O_EXCL)",
    "store/lock.py:process_start": "own: /proc/PID/stat",
    "store/netshare.py:network_share_kind": "own: /proc/mounts",
    "startup_trace.py:mark": "own: the start-up trace file named by the environment",
    "commands/publications.py:run_takedowns": "own: os.devnull",
    "imaging/synthetic.py:render_pdf_page": "own: a form PDF the program printed (synthetic scans)",
    "ui/common/report_preview.py:page_count": "own: the report PDF the program just made",
    "ui/common/report_preview.py:render_pages": "own: the report PDF the program just made",
    "ui/common/report_preview.py:ReportPreviewDialog.__init__": "own: the report PDF just made",
    # New files that nothing can hold yet.
    "store/connection.py:_create_empty_file": "new: a database file made with O_EXCL",
    "store/backup.py:_new_backup_name": "new: reserves a backup name with O_EXCL",
    "store/encryption.py:_fsync": (
        "new: flushes the converted copy (SQLite has closed it, nobody else knows its name) "
        "and its folder"
    ),
    "store/keys.py:write_key_file": "new: a key file made with O_EXCL, or a temporary one",
    "store/keys.py:read_key_file": (
        "a key file: refused unread when it is larger than a key (every database is) or "
        "named as a -wal, -shm or -journal"
    ),
    "store/backup.py:_keep_bytes": (
        "side: copies a damaged file's -wal or -journal when no hard link can be made; SQLite "
        "keeps no lock on those two (the database itself is copied through SQLite)"
    ),
    # Outputs, checked with `refuse_unsafe_output` (never the database or a side file).
    "csv_export.py:write_csv": "output: a temporary file beside a checked target",
    "imaging/video.py:anonymise_video": "output: the checked target of a cleaned video",
    "ui/cases/evidence.py:EvidencePanel.save_copy": "output: a temporary file of the evidence",
    "ui/common/report_preview.py:ReportPreviewDialog.save_copy": "output: a copy of our PDF",
    # In memory.
    "store/cases.py:make_thumbnail": "memory: Image.open of bytes already read",
    "ui/cases/evidence.py:EvidencePanel.add_image": "memory: a QBuffer",
    "ui/common/media.py:image_bytes": "memory: a QBuffer",
    # A file the user names: refused unread when it is a SQLite database or a side file.
    "imports/tabular.py:read_table": GUARDED,
    "imaging/photo.py:is_jpeg": GUARDED,
    "imaging/photo.py:jpeg_size": GUARDED,
    "imaging/photo.py:read_photo": GUARDED,
    "imaging/video.py:_open": GUARDED,
    "store/cases.py:add_evidence_file": GUARDED,
    "store/items.py:file_facts": GUARDED,
    "imaging/pages.py:_open_pdf": "input: every caller runs check_files first",
    "imaging/headers.py:open_lazily": "input: its callers (read_photo, the pages reader) refuse a "
    "database first",
}
GUARDS = ("refuse_database_input", "is_sqlite_file")


def _opens(tree: ast.AST) -> list[tuple[str, int, ast.AST]]:
    """(qualified function, line, function node) of every call that opens a file by name."""
    found: list[tuple[str, int, ast.AST]] = []

    def visit(node: ast.AST, where: list[str], function: ast.AST | None) -> None:
        for child in ast.iter_child_nodes(node):
            names, outer = where, function
            if isinstance(child, ast.ClassDef) and not where:
                names = [child.name]
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) and len(where) < 2:
                if not where or function is None:  # a method, or a top-level function
                    names, outer = [*where, child.name], child
            if isinstance(child, ast.Call) and _opens_a_file(child):
                found.append((".".join(names), child.lineno, function))
            visit(child, names, outer)

    visit(tree, [], None)
    return found


def _opens_a_file(call: ast.Call) -> bool:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id in NAMES
    if not isinstance(func, ast.Attribute):
        return False
    if isinstance(func.value, ast.Name) and (func.value.id, func.attr) in FUNCTIONS:
        return True
    if isinstance(func.value, ast.Name) and func.value.id in ("os", "webbrowser"):
        return False
    if func.attr == "open" and not call.args and not call.keywords:
        return False  # QDialog.open(): a window, not a file
    return func.attr in METHODS or func.attr == "PdfDocument"


def _guarded(function: ast.AST | None) -> bool:
    if function is None:
        return False
    return any(
        isinstance(node, ast.Name) and node.id in GUARDS for node in ast.walk(function)
    ) or any(isinstance(node, ast.Attribute) and node.attr in GUARDS for node in ast.walk(function))


def _scan(package: Path) -> tuple[list[str], list[str]]:
    """(unlisted opens, listed user inputs that do not refuse a database first)."""
    unlisted, unguarded = [], []
    for path in sorted(package.rglob("*.py")):
        module = path.relative_to(package).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for where, line, function in _opens(tree):
            key = f"{module}:{where}"
            reason = ALLOWED.get(key)
            if reason is None:
                unlisted.append(f"merlet_desk/{module}:{line} ({where or 'module level'})")
            elif reason == GUARDED and not _guarded(function):
                unguarded.append(f"merlet_desk/{module}:{line} ({where})")
    return unlisted, unguarded


def test_no_code_opens_a_file_that_could_be_the_database():
    unlisted, unguarded = _scan(PACKAGE)
    assert unlisted == [], (
        "these open a file by name; if it could be the database or a side file, ask SQLite "
        "(merlet_desk.sqlite_files) instead, else list it in ALLOWED with the reason:\n"
        + "\n".join(unlisted)
    )
    assert unguarded == [], (
        "these read a file the user named without refusing a database first "
        "(sqlite_files.refuse_database_input):\n" + "\n".join(unguarded)
    )


def test_the_pages_reader_refuses_a_database_at_its_door():
    tree = ast.parse((PACKAGE / "imaging" / "pages.py").read_text(encoding="utf-8"))
    [check] = [
        n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "check_files"
    ]
    assert _guarded(check)


def test_every_listed_place_still_exists():
    """A listing that no longer matches code would let a new open() hide behind it."""
    present = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        module = path.relative_to(PACKAGE).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        present |= {f"{module}:{where}" for where, _line, _f in _opens(tree)}
    assert sorted(set(ALLOWED) - present) == []


def test_the_scan_finds_what_it_forbids(tmp_path):
    sample = tmp_path / "merlet_desk"
    (sample / "store").mkdir(parents=True)
    (sample / "store" / "x.py").write_text(
        "import shutil\n"
        "def header(path):\n"
        "    with open(path, 'rb') as f:\n"
        "        return f.read(16)\n"
        "def digest(path):\n"
        "    return hashlib.sha256(path.read_bytes())\n"
        "class Dialog:\n"
        "    def show(self):\n"
        "        self.box.open()\n"
        "    def keep(self, a, b):\n"
        "        shutil.copyfile(a, b)\n",
        encoding="utf-8",
    )
    unlisted, _ = _scan(sample)
    assert [line.split(" ")[1] for line in unlisted] == ["(header)", "(digest)", "(Dialog.keep)"]
