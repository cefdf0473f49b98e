#!/usr/bin/env bash
# Smoke test of a built or installed Merlet Desk, the way IT would check an installation.
#   bash packaging/check-app.sh PROGRAM [EXPECTED_VERSION]
# PROGRAM is dist/merlet-desk/merlet-desk (the bundle, before packaging) or merlet-desk (the
# installed .deb). Runs --version, init, the GUI offscreen with --quit-after-show, verify,
# a backup, PDF reports, the paper forms read back, an encrypted register (SQLCipher, a key
# file), and face detection and blurring on a small photo, on databases and files in a
# temporary folder. Exits non-zero on the
# first failure.
set -euo pipefail
prog="$1"
expected_version="${2:-}"
work="$(mktemp -d -t merlet-check.XXXXXX)"
trap 'rm -rf "$work"' EXIT
# Keep the user's own folders out of it (QSettings, default database, caches).
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/config" XDG_DATA_HOME="$work/home/data"
export XDG_RUNTIME_DIR="$work/runtime"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
unset MERLET_DESK_DB MERLET_DESK_READ_ONLY

step() { printf '  %-44s' "$1"; }
ok() { echo "ok${1:+ ($1)}"; }
fail() {
  echo "FAILED"
  echo "merlet-desk check: $*" >&2
  exit 1
}

echo "Controle van $prog"

step "--version"
version_line="$("$prog" --version)" || fail "--version exited $?"
[[ "$version_line" == "merlet-desk "* ]] || fail "unexpected --version output: $version_line"
if [[ -n "$expected_version" && "$version_line" != "merlet-desk $expected_version" ]]; then
  fail "--version says '$version_line', pyproject.toml says $expected_version"
fi
ok "$version_line"

db="$work/data/merlet-desk.sqlite"
mkdir -p "$work/data"
step "init --db"
"$prog" init --db "$db" >"$work/init.out" || fail "init exited $?: $(cat "$work/init.out")"
[[ -s "$db" ]] || fail "init made no database at $db"
ok

step "--quit-after-show (offscreen)"
QT_QPA_PLATFORM=offscreen "$prog" --db "$db" --quit-after-show 2>"$work/gui.err" ||
  fail "--quit-after-show exited $?: $(cat "$work/gui.err")"
if grep -Eq "Could not (load|find) the Qt platform plugin|Traceback" "$work/gui.err"; then
  fail "GUI start printed: $(cat "$work/gui.err")"
fi
ok

step "verify"
"$prog" verify --db "$db" >"$work/verify.out" 2>&1 || fail "verify exited $?: $(cat "$work/verify.out")"
ok

step "report policy -o beleid.pdf"
"$prog" report policy --db "$db" -o "$work/beleid.pdf" >"$work/report.out" 2>&1 ||
  fail "report policy exited $?: $(cat "$work/report.out")"
[[ "$(head -c 5 "$work/beleid.pdf")" == "%PDF-" ]] || fail "beleid.pdf is not a PDF"
ok "$(stat -c %s "$work/beleid.pdf") bytes"

demo="$work/data/demo.sqlite"
step "init --demo, report consent (Cuijk)"
"$prog" init --db "$demo" --demo --pupils 60 >"$work/demo.out" 2>&1 ||
  fail "init --demo exited $?: $(cat "$work/demo.out")"
"$prog" report consent --db "$demo" --location Cuijk -o "$work/cuijk.pdf" >"$work/consent.out" 2>&1 ||
  fail "report consent exited $?: $(cat "$work/consent.out")"
[[ "$(head -c 5 "$work/cuijk.pdf")" == "%PDF-" ]] || fail "cuijk.pdf is not a PDF"
ok

step "takedowns, report takedowns"
rc=0
"$prog" takedowns --db "$demo" --json >"$work/takedowns.json" 2>"$work/takedowns.err" || rc=$?
[[ $rc -le 1 ]] || fail "takedowns exited $rc: $(cat "$work/takedowns.err")"
grep -q '"open"' "$work/takedowns.json" || fail "takedowns --json printed no list"
"$prog" report takedowns --db "$demo" -o "$work/takedowns.pdf" >"$work/takedowns.out" 2>&1 ||
  fail "report takedowns exited $?: $(cat "$work/takedowns.out")"
[[ "$(head -c 5 "$work/takedowns.pdf")" == "%PDF-" ]] || fail "takedowns.pdf is not a PDF"
ok "exit $rc"

step "report forms, import-scans"
# The paper round needs OpenCV, numpy and zxing-cpp inside the bundle: reading the printed
# (empty, unsigned) forms back must recognise every page and record nothing (exit 1).
"$prog" report forms --db "$demo" --location Mill -o "$work/forms.pdf" >"$work/forms.out" 2>&1 ||
  fail "report forms exited $?: $(cat "$work/forms.out")"
rc=0
"$prog" import-scans "$work/forms.pdf" --db "$demo" --json >"$work/scans.json" 2>"$work/scans.err" ||
  rc=$?
[[ $rc -eq 1 ]] || fail "import-scans exited $rc: $(cat "$work/scans.err")"
pages="$(grep -o '"pages": [0-9]*' "$work/scans.json" | grep -o '[0-9]*$')"
[[ -n "$pages" && "$pages" -gt 0 ]] || fail "import-scans read no pages"
grep -q "\"recognised\": $pages," "$work/scans.json" ||
  fail "import-scans did not recognise every page: $(head -c 300 "$work/scans.json")"
ok "$pages pages read back"

step "backup"
"$prog" backup --db "$demo" >"$work/backup.out" 2>&1 || fail "backup exited $?: $(cat "$work/backup.out")"
ok

# An encrypted register (SQLCipher and keyring must be inside the bundle). This machine has no
# key store (a server, a chroot), which the program must say instead of falling back to plain;
# the key goes into a key file, as IT's scripts do it.
enc="$work/data/versleuteld.sqlite"
key="$work/sleutel.key"
step "encrypted: init, cases, backup, report"
rc=0
"$prog" init --db "$enc" --encrypt >"$work/enc.out" 2>&1 || rc=$?
if [[ $rc -eq 0 ]]; then
  ok "a key store exists here; the key file route is checked next"
  step "encrypted: init, cases, backup, report"
  enc="$work/data/versleuteld2.sqlite"
else
  [[ $rc -eq 2 ]] && grep -q "geen sleutelkluis" "$work/enc.out" ||
    fail "init --encrypt without a key store: exit $rc: $(cat "$work/enc.out")"
  [[ ! -e "$enc" ]] || fail "init --encrypt without a key store left $enc behind"
fi
"$prog" init --db "$enc" --encrypt --demo --pupils 30 --key-file "$key" \
  --recovery-sheet "$work/herstelsleutel.pdf" >"$work/enc.out" 2>&1 ||
  fail "init --encrypt --key-file exited $?: $(cat "$work/enc.out")"
[[ "$(stat -c %a "$key")" == 600 ]] || fail "the key file is not 0600"
[[ "$(head -c 15 "$enc")" != "SQLite format 3" ]] || fail "$enc is not encrypted"
! grep -q "Cuijk" "$enc" || fail "$enc shows its data in clear"
[[ "$(head -c 5 "$work/herstelsleutel.pdf")" == "%PDF-" ]] || fail "no recovery sheet"
export MERLET_DESK_KEY_FILE="$key"
"$prog" cases --db "$enc" >"$work/enc-cases.out" 2>&1 || fail "cases (encrypted) exited $?"
"$prog" verify --db "$enc" >"$work/enc-verify.out" 2>&1 || fail "verify (encrypted) exited $?"
"$prog" backup --db "$enc" >"$work/enc-backup.out" 2>&1 || fail "backup (encrypted) exited $?"
"$prog" report consent --db "$enc" --location Cuijk -o "$work/enc.pdf" >"$work/enc-r.out" 2>&1 ||
  fail "report consent (encrypted) exited $?: $(cat "$work/enc-r.out")"
QT_QPA_PLATFORM=offscreen "$prog" --db "$enc" --quit-after-show 2>"$work/enc-gui.err" ||
  fail "--quit-after-show (encrypted) exited $?: $(cat "$work/enc-gui.err")"
unset MERLET_DESK_KEY_FILE
rc=0
"$prog" cases --db "$enc" >"$work/enc-nokey.out" 2>&1 || rc=$?
[[ $rc -eq 2 ]] || fail "cases without the key exited $rc: $(cat "$work/enc-nokey.out")"
ok "no key: exit 2"

step "--quit-after-show on the demo database"
QT_QPA_PLATFORM=offscreen "$prog" --db "$demo" --quit-after-show 2>"$work/gui2.err" ||
  fail "--quit-after-show (demo) exited $?: $(cat "$work/gui2.err")"
ok

# A face (96 x 120: the astronaut Eileen Collins, a NASA photo in the public domain, as scikit-image
# ships it), so the photo commands load numpy, OpenCV and the face model of the bundle.
step "faces, anonymise (photo)"
base64 -d >"$work/gezicht.jpg" <<'JPEG'
/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwg
IyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgo
KCgoKCgoKCgoKCgoKCj/wAARCAB4AGADASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAA
AgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6
Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXG
x8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREA
AgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5
OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPE
xcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwD0C1QZ4FXhxSW8OxelTrEx5IrJM1GmAOB2
qeFRGAKA20YxTJZFjVmchVAySadwCaXJwtRu3HNcTfeN47y4kttARJpFODK7AL/wH1qkt/fXk6RatqLQjPEVsfLz9WPP5VjL
ERiWoNnocIV3wWGfStGJQoFcjZ6VpUEXnQRosrHPmK/zk/7x5rG1PU9R0u782zu5BEDwsmHVvqOtTHFLqh+yPRpeBxUW8qeS
a47SfiBbXTCDUo1t5Scb48sn49xXU280dzGJYJEkQ9GQ5FdEZxn8LIcWtyTzTnAoPzdaTGPrT156UMCNXUVKkq44rMElU9a1
VNK057l/mIwqrnqx6VF7asLF/V9WtdOi3zuMnoo6muB8ea5e3Phq+ezlFuhiIXB+YkjGD6da5HxLq93Pd75XaWTP3QeF9q0d
KkQ6a6X0L3HmnHH9PauaVe90jRQOG+Hen6gtvNNdW3n2itgHZllPt3+v1Hrx6vosllHHGkcaAjHODGB9QcfzrlpdSGmXS/Z7
d7a3HJfHAJPcfl+QrZ0/WJGcl1EqnqFjGMfzP5Vyzd3c2SsrHZXeo3ENuPscxlXbxCrhg36niuNvrjWGucXkEEakH5rfoPTr
WtcWtncQZlt16ZyGZcH3oi028S3a409YjGo9fmXj3/nSFscTrE8FuDm1PnBgHTdlgO5A7n2/nWzo3ia48PJEUYy2jncwdMZX
8Ohx3xXIeNNWKsJFhdZoyQVLAZ+grI0zUpNR0y6kuAQ0QDQKSOOTngDinDmj7yE7PQ+prKaK+sobq2YPDMgdGHcGpYxtPNeZ
/AHxD/aGl32kzbw1q/mRh+yt1H4H+deqPATytepGXNG5ztWdjnB1rj/ilI8OkWTopZVuBkD12Nj+tdqyZ6VyPxNm+zeGWdk3
jzF/DrzWdVe4yo7nHadBb6lCHlIWcIS7dhVPwndz6pr0lvbbhFEuVHZgMj+tYS6sgs5IrNsswwqg10/wRtnGoX11IpfaqRoB
3zkn+Q/OvOjdnSlqaGppctcNbX0OM8crwRVW1ie1mRzAyFTguUr2x4GdFlvLO0ZQMKnnDf8AqAP1q1Y2ukXduImtdkg/hkUb
h+IyP1rT2bLujxqfX/siF/LKxg5ORlT+Hb8Kr3fiuO3j8yCYIhHAXjg+v0Nex6t4c0KS1KXNtHjHPHNebeK/h/ot/ZubFb+N
8HDRQsf0xScJJiaTR414k1JNXvoLkRDdJ8pCNgEg4z7Gi38iRVS0hmt1B2uzsfnJqhrmg3ejLcSRXKvFbtnaVIcZOOVI4qnp
upm4iLmSRyrfdY4Cmm4e7dGT0Z6r8GtQXTfHkdmj7kvYpFkLf3h8w/HjFfQ3mgLzXyp4BjWfx5octtKpuPtSFlAPKjlj+QNf
UNw427ciuvDv3DGa1Msc1ieNtDbXvDF7YQttmkUMhzj5gcgfjjH41ujsKsQpkiuhpNWJTsfHd6k2manLbNDLDMhKOr9VPQiv
fvg7ppk8OmRBtllctu/HAP6VveOfANh4hkiumQR3K4V3A6rz/Uir/gnTm0O3Sxk+VkUc468nmuCpDklY6qb5lcwtc+HM909v
MuozCZJTJKzO7NKCykDhsDGCPofXmuq8PWUthdHcXEZYmONjnavYZrptRv7a0s1mkmCt0Kgc1kmZri4EqIxZ+x6/SiXkaxiz
A8SyXOo60LOGXyk6kj+L6f5/xrk7vR/ElnrF7JBqd2umrHm3VGDHd/tAjp0GMnvzXSaxP/Z2uwzSqwGMk/3RXVRFLq3V4yki
MuQaUWDieC+L7C91Dw9Pc30arO8ZRiBjccdfzxXknhSASTTwuoO9CQPUjNfQnxGuRFZ3UaD7oLAV4n4A0DVfEOtCy0qE7hky
ysCEiU8ZY/0pq7TijGatqegfAKwiv9cvNTFrtWyj8uOQ/wB9uuPwz+de3uHL8niovCXhqz8MaDBplivyp8zuRzI56sfr/gK1
TBnpXVCPKrGLdysie1WrVNz4xUMrxWkBluHCRr1Jrh/FHxR0vQP4okPYynlvoo5NdKj1MrnpZgyPm6Vgalb+XqyLEzKDEDks
Tj5j614bqf7Qk+4izDkdisCgf+PHNbfw1+KN34x16S3u0b9xCZNxRVwNwHb61jiI3gzSjK0j0vUov7Nf+0NVM09shGwRqWCZ
43FRyeT17Va2Wdx++N3NayAfLuDqPxXp+la6yC6swvB4IIptpcSWFo8RZpEIKhXUEKp6j1NcMEup3qTZ5r4jt7eGd7i61cTA
D5ic4xWx4WvGn0oXFiJHs2UlHOQDjuM9qs+JZZdUlSOVIGRjlkWPg9Oo79BVu/vo7DQhBGR5rjn2FKSV9BydjjrfTZvEmv8A
2fcqkhnYvyMD6fUV6R4d8OWXh2wNvaIgdzukdVC7jWH8OrB4hc6nIpHnDyoQf7gPJ/E/yrspGLc110Kdo8z3OGrNt2IWTimA
EGrKjIodR+NashHz78b/AIgNpsQhsHDSyEpbg9AB1kI/Hgf4GvnMfbNY1JfMd57u4fG52yWJ969C+Imm3mq+Kl2RPMiQpHDG
P+Wjkngfnk+wNdDf+F4fh34WjurrbLr9+pDOw4hixgqnuTgZ9MjvWs5a2Rkzx+901rG5aC5mj3r18v5hXqX7NqxjxxcKrbg1
oykEcH5lrye+na5vJX67m7Vt+DdfvfCms22pae6idGIKuMqykcqR6VlUi5QsVBpSufaTmXRLkGUlrMn7xGTH9fb3rZW9sp7U
eXOkm7nIxxXjVl8ftEvLNItY0i9hlAAJgKSqfzKnFZ1z4w8BakzNFql/pbse8TqM/wDAMiuJQkuh2Kqj0zxLq1np8LHzE3kY
A71wV1qkt/kDIQ9WPGfYVkQy+HxG06a/a3uP4nnGfyJyK5bxf450u20y4t9Ju/OvXUqjQjhD67unHtSUHJ2sEqq3Pq6wtUj0
+2jgZXiSNVVlOQQBjipnXAxXy/8ACT4z3NlPFp+tOpDHAZjhJP8A4lvfoe9fTOl6na6xZLdWUm9DwwP3kPoR2Nei1bY5E7k0
ZwKSTgZpxBJ4pxhLD3qSjwjw7b2Nx4isrmQedagrNE3qhU7W/EPVD4zaa+takzyx3R0m3HnJJGBhCwC4bvgEZ/r2rnPC9/Np
F1/YV25F3bszWknQSISTs+vUj6kegr17RfEFn/Z/m3arLbKCJlZd3yHhgw7gfyNW0m79yZqx8gX6/ZZ3gKAFTjgcH3qncZCI
x6nmvZviN4P0e3hbWdJnNxpF7zaKc+bESCQp9Rxgd/WvGLx9z4HQUrNOzIvoTxyEileVtpNQwglARTn+6aVh3IWO81G3Bp+f
Wo2OTVIlj40ZkZ0OSvUd8ete2fA/4h3en3iWc8hkkUbQrH/XIP4D/tDsf8nxvS9ovYvMfYhYAvjO3Pf3x6VsS2U2mXkd7aZT
ZIQyqeY5FPIB9M4IPuKLjiffWm3dtqdjDe2b74JVyPUeoPuDxVwYrxj4NeKvNMEDti21BdyjtHMByPYHH/oNewbuetJqzND5
L8VXNhqa6dqtzHLbXlqfs91Dyu6QDcrEj7vIPOeevvWn4b1O5mBkRVNwFJkhByJk7kepx1x9RxnBRWdJ8yVzprwUJuK2ub13
v1Dw2tl4et7aVhL5uyR9jxlVOEXg45JwO/qK+b9VtLiC8c3Uflu7ElcYwc8jHYj0oorS+xxta2EhVlj4qOVsdSDRRQgZX3Fj
SMMUUVRB1fhHwyuo2U2oXtwsMCHbFHxumI+9j0A6Z7kgCuvt9NiEVrJOpa3miVJgDnLxny2P/fDfmM0UVL2uUjovDdvc+HLW
dHYiawvgU9yO/wD44K+lNM1K21K3E1pKGGASp+8v1FFFZzk1KMe9zrhTUqUpvdW/E//Z
JPEG
"$prog" faces "$work/gezicht.jpg" --json >"$work/faces.out" 2>&1 || fail "faces exited $?: $(cat "$work/faces.out")"
grep -q '"score"' "$work/faces.out" || fail "faces found no face: $(cat "$work/faces.out")"
"$prog" anonymise "$work/gezicht.jpg" -o "$work/onherkenbaar.jpg" --all-faces >"$work/anon.out" 2>&1 ||
  fail "anonymise exited $?: $(cat "$work/anon.out")"
[ -s "$work/onherkenbaar.jpg" ] || fail "anonymise wrote nothing"
ok "1 face, $(stat -c %s "$work/onherkenbaar.jpg") bytes"

echo "Alles in orde."
