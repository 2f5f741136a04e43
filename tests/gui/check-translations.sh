#!/bin/sh
# check-translations.sh SOURCE_ROOT — the desktop app's strings (its C
# files, .ui templates, .desktop and metainfo listed in po/POTFILES) are
# all translated, none fuzzy, in po/de.po and po/fr.po, and both catalogs
# pass `msgfmt -c` (format strings, plurals, headers).
set -eu
cd "$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

files=$(grep -E '^(client/gui/|client/main-gui|data/)' po/POTFILES || true)
if [ -z "$files" ]; then
  echo "po/POTFILES lists no file of the desktop app" >&2
  exit 1
fi
# shellcheck disable=SC2086
xgettext --from-code=UTF-8 --add-comments=TRANSLATORS --keyword=_ --keyword=N_ \
  --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dngettext:2,3 --keyword=ngettext:1,2 \
  -o "$tmp/gui.pot" $files
count=$(grep -c '^msgid ' "$tmp/gui.pot")
echo "desktop app: $((count - 1)) strings"

status=0
for lang in de fr; do
  msgfmt -c -o /dev/null "po/$lang.po" || status=1
  if ! msgcmp "po/$lang.po" "$tmp/gui.pot" 2>"$tmp/$lang.err"; then
    echo "po/$lang.po lacks translations of the desktop app:" >&2
    grep -E 'this message' "$tmp/$lang.err" | head -n 40 >&2 || cat "$tmp/$lang.err" >&2
    status=1
  fi
done
exit $status
