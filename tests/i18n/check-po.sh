#!/bin/sh
# check-po.sh SRCDIR — the translations in SRCDIR/po are complete and current:
# for every language in po/LINGUAS, msgfmt -c --check-format accepts the
# .po file, it has no untranslated and no fuzzy message, and every message
# that xgettext finds today in the files of po/POTFILES (with the keywords of
# meson's "glib" preset, as the tandem-pot target uses) has an entry in it
# (obsolete #~ entries do not count).  Fix a failure with
#   ninja -C BUILD tandem-pot tandem-update-po
# and translate what is new.  Exit 77 (skipped) without the gettext tools.
set -u

srcdir=${1:?usage: check-po.sh SRCDIR}
for tool in xgettext msgfmt msgmerge msgattrib; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "SKIP: $tool is not installed"
    exit 77
  fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-po.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# POTFILES may have comments and blank lines, like meson reads it.
grep -v '^[[:space:]]*\(#\|$\)' "$srcdir/po/POTFILES" > "$tmp/POTFILES"
if ! (cd "$srcdir" && xgettext --package-name=tandem --from-code=UTF-8 --add-comments \
        --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
        --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
        --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
        --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
        --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
        --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
        --flag=g_print:1:c-format --flag=g_printerr:1:c-format \
        --files-from="$tmp/POTFILES" --output="$tmp/tandem.pot"); then
  echo "FAIL: xgettext could not read the files of po/POTFILES"
  exit 1
fi

# Count the messages (not the header) of a PO file.
count () {
  grep -c '^msgid ' "$1" | awk '{ print ($1 > 0 ? $1 - 1 : 0) }'
}

status=0
languages=$(grep -v '^[[:space:]]*\(#\|$\)' "$srcdir/po/LINGUAS")
[ -n "$languages" ] || { echo "FAIL: po/LINGUAS names no language"; exit 1; }
for lang in $languages; do
  po="$srcdir/po/$lang.po"
  if [ ! -f "$po" ]; then
    echo "FAIL: $lang: po/$lang.po is missing"
    status=1
    continue
  fi
  if ! msgfmt -c --check-format --statistics -o /dev/null "$po"; then
    echo "FAIL: $lang: msgfmt -c --check-format refuses po/$lang.po"
    status=1
  fi
  msgattrib --untranslated --no-obsolete -o "$tmp/$lang-untranslated.po" "$po"
  msgattrib --only-fuzzy --no-obsolete -o "$tmp/$lang-fuzzy.po" "$po"
  # Merged with today's template and no fuzzy matching, a message of the
  # sources that the .po file lacks comes out untranslated.
  msgmerge --quiet --no-fuzzy-matching -o "$tmp/$lang-merged.po" "$po" "$tmp/tandem.pot"
  msgattrib --untranslated --no-obsolete -o "$tmp/$lang-new.po" "$tmp/$lang-merged.po"
  for kind in untranslated fuzzy new; do
    f="$tmp/$lang-$kind.po"
    [ -f "$f" ] || continue
    n=$(count "$f")
    if [ "$n" -gt 0 ]; then
      case $kind in
        untranslated) echo "FAIL: $lang: $n untranslated message(s) in po/$lang.po:" ;;
        fuzzy) echo "FAIL: $lang: $n fuzzy message(s) in po/$lang.po:" ;;
        new) echo "FAIL: $lang: po/$lang.po is out of date: $n message(s) of the sources are missing or untranslated (run tandem-pot and tandem-update-po):" ;;
      esac
      grep -A1 '^msgctxt \|^msgid ' "$f" | grep -v '^--$' | sed -n '3,$p' | head -40
      status=1
    fi
  done
done
[ $status -eq 0 ] && echo "OK: every language of po/LINGUAS is complete and current"
exit $status
