#!/usr/bin/env bash
# The Debian package, as a user gets it: scripts/package builds it, dpkg -x
# unpacks it into a scratch root, and the programs run from there (with the
# catalogues found beside them, as installed), while the package's metadata
# passes the validators a distribution runs. Arguments: SOURCE_DIR BUILD_DIR VERSION.
set -euo pipefail
src=$1 build=$2 version=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

deb=$(TRACT_SKIP_SETUP=1 TRACT_BUILD_DIR="$build" "$src/scripts/package" "$work/out")
arch=$(dpkg --print-architecture)
[ "$(basename "$deb")" = "tract-console_${version}_${arch}.deb" ] ||
  fail "package name $(basename "$deb"), expected tract-console_${version}_${arch}.deb"

# Dependencies: the libraries dpkg-shlibdeps found and the run-time plugins and
# font no linker sees; every one must be a package Debian has.
depends=$(dpkg-deb -f "$deb" Depends)
for want in libqt6core6 libqt6widgets6 libqt6keychain1 qt6-qpa-plugins libqt6sql6-sqlite \
  libqt6svg6 fonts-lohit-deva; do
  grep -qE "(^|, )$want( |,|$)" <<<"$depends" || fail "Depends lacks $want: $depends"
done
tr ',|' '\n\n' <<<"$depends" | sed -E 's/\(.*\)//; s/ //g' | grep -v '^$' | sort -u |
  while read -r p; do
    apt-cache show "$p" >/dev/null 2>&1 || fail "dependency $p is not a known package"
  done

root="$work/root"
dpkg -x "$deb" "$root"
id=io.github.tract_console.TractConsole
for f in usr/bin/tract-console usr/bin/tract-sandbox "usr/share/applications/$id.desktop" \
  "usr/share/metainfo/$id.metainfo.xml" usr/share/icons/hicolor/scalable/apps/tract-console.svg \
  usr/share/tract-console/translations/tract-console_en.qm \
  usr/share/tract-console/translations/tract-console_es.qm \
  usr/share/tract-console/translations/tract-console_hi.qm; do
  [ -s "$root/$f" ] || fail "missing or empty in the package: /$f"
done
desktop-file-validate "$root/usr/share/applications/$id.desktop" || fail "desktop-file-validate"
appstreamcli validate --no-net "$root/usr/share/metainfo/$id.metainfo.xml" ||
  fail "appstreamcli validate"
grep -q "<release version=\"$version\"" "$root/usr/share/metainfo/$id.metainfo.xml" ||
  fail "the metainfo has no release entry for $version"
grep -q '<image>https://' "$root/usr/share/metainfo/$id.metainfo.xml" ||
  fail "the metainfo names no screenshot URL"
python3 -c 'import sys, xml.etree.ElementTree as E; r = E.parse(sys.argv[1]).getroot(); sys.exit(0 if r.tag.endswith("svg") else 1)' \
  "$root/usr/share/icons/hicolor/scalable/apps/tract-console.svg" || fail "the icon is not an SVG"

# The programs, from the unpacked root, with a private home.
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/config" XDG_DATA_HOME="$work/home/data"
export QT_QPA_PLATFORM=offscreen
unset TRACT_TRANSLATIONS_DIR
mkdir -p "$HOME"
out=$("$root/usr/bin/tract-console" --version)
[ "$out" = "tract-console $version" ] || fail "--version printed: $out"
"$root/usr/bin/tract-console" --render-hsl "$src/tests/data/hsl/carousel_cards.json" \
  --output "$work/card.png" --width 480 || fail "--render-hsl exited $?"
[ "$(head -c 8 "$work/card.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
  fail "--render-hsl wrote no PNG"
[ "$(stat -c %s "$work/card.png")" -gt 2000 ] || fail "--render-hsl wrote a near-empty PNG"
"$root/usr/bin/tract-sandbox" --help >/dev/null || fail "tract-sandbox --help"

# The installed catalogues are found beside the binary: --help speaks the language.
for lang in es hi; do
  want=$(python3 - "$src/translations/tract-console_$lang.ts" <<'PY'
import sys, xml.etree.ElementTree as E
for m in E.parse(sys.argv[1]).iter("message"):
    if m.findtext("source") == "Render one HSL message to a PNG and exit.":
        print(m.findtext("translation") or "")
PY
)
  [ -n "$want" ] || fail "no $lang translation of the --render-hsl help text"
  help=$("$root/usr/bin/tract-console" --lang "$lang" --help 2>&1)
  grep -qF "${want:0:20}" <<<"$help" || fail "--lang $lang --help is not in $lang: $help"
done
echo "PASS: $(basename "$deb") ($(stat -c %s "$deb") bytes) unpacks, validates and runs"
