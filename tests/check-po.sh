#!/bin/sh
# The translations are complete and correct (po/README.md):
#
# - po/POTFILES.in is sorted, names files that exist, and names every file
#   that marks a string for translation;
# - the strings of the sources as they are now (a fresh xgettext run, not the
#   committed template) each have a translation in every po/LINGUAS language
#   that is neither missing nor fuzzy, so adding a user-facing string without
#   translating it fails here;
# - msgfmt -c (format strings, plural forms, header) accepts every catalogue;
# - the built desktop file carries the translated Name and Comment.
#
# Usage: check-po.sh SOURCE_ROOT [BUILT_DESKTOP_FILE]
set -u
root=$1
desktop=${2:-}
cd "$root" || exit 1
LC_ALL=C.UTF-8
export LC_ALL

failures=0
fail () {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# POTFILES.in: sorted, no missing file, no marked file left out.
grep -v '^#' po/POTFILES.in | grep -v '^$' >"$tmp/potfiles"
if ! LC_ALL=C sort -c "$tmp/potfiles" 2>"$tmp/sort"; then
  fail "po/POTFILES.in is not sorted ($(cat "$tmp/sort")): sort it with LC_ALL=C sort"
fi
while read -r f; do
  [ -f "$f" ] || fail "po/POTFILES.in names $f, which does not exist"
done <"$tmp/potfiles"
git ls-files src ui data 2>/dev/null >"$tmp/tracked" || find src ui data -type f >"$tmp/tracked"
while read -r f; do
  case "$f" in
    *.c | *.h) grep -Eq '(^|[^A-Za-z0-9_])(N?C?_|g_dngettext|g_dpgettext2) \(' "$f" || continue ;;
    *.desktop.in) ;;
    *) continue ;;
  esac
  grep -qx "$f" "$tmp/potfiles" || fail "$f marks strings for translation but is not in po/POTFILES.in: add it (sorted)"
done <"$tmp/tracked"

# A fresh template from the sources as they are, with the keywords of
# meson's glib preset.
if ! xgettext --from-code=UTF-8 --add-comments=Translators --package-name=custody-clock \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
  --flag=g_prefix_error:2:c-format --flag=g_printerr:1:c-format --flag=g_print:1:c-format \
  --files-from="$tmp/potfiles" -o "$tmp/fresh.pot" 2>"$tmp/xgettext.err"; then
  cat "$tmp/xgettext.err"
  fail "xgettext could not read the sources"
fi
if [ -s "$tmp/xgettext.err" ]; then
  cat "$tmp/xgettext.err"
  fail "xgettext warns about the marked strings (above): mend them"
fi
n_strings=$(msgattrib --no-obsolete "$tmp/fresh.pot" 2>/dev/null | grep -c '^msgid ')
n_strings=$((n_strings - 1))
[ "$n_strings" -gt 500 ] || fail "only $n_strings strings were found in the sources: is the xgettext run broken?"

for lang in $(grep -v '^#' po/LINGUAS); do
  po="po/$lang.po"
  if [ ! -f "$po" ]; then
    fail "$lang is in po/LINGUAS but $po does not exist"
    continue
  fi
  if ! msgfmt -c --check-format -o /dev/null "$po" 2>"$tmp/msgfmt.err"; then
    cat "$tmp/msgfmt.err"
    fail "msgfmt -c refuses $po"
  fi
  # The committed catalogue itself: nothing fuzzy or untranslated.
  for kind in only-fuzzy untranslated; do
    msgattrib --no-obsolete --$kind "$po" >"$tmp/$kind.po" 2>/dev/null
    n=$(grep -c '^msgid ' "$tmp/$kind.po")
    [ "$n" -gt 0 ] && n=$((n - 1))
    if [ "$n" -gt 0 ]; then
      grep -A1 '^msgid ' "$tmp/$kind.po" | grep -v '^msgid ""$' | head -20
      fail "$po has $n $kind string(s) (above, up to 20)"
    fi
  done
  # Against the sources as they are: every string has its translation.
  msgmerge --quiet --no-fuzzy-matching -o "$tmp/$lang.po" "$po" "$tmp/fresh.pot" 2>/dev/null ||
    fail "msgmerge could not merge $po"
  msgattrib --no-obsolete --untranslated "$tmp/$lang.po" >"$tmp/new.po" 2>/dev/null
  n=$(grep -c '^msgid ' "$tmp/new.po")
  [ "$n" -gt 0 ] && n=$((n - 1))
  if [ "$n" -gt 0 ]; then
    grep -B3 -A1 '^msgid ' "$tmp/new.po" | grep -v '^msgstr' | head -40
    fail "$n string(s) in the sources have no $lang translation (above, up to 10): run 'meson compile -C BUILD custody-clock-update-po', translate them in $po and see po/README.md for the glossary"
  else
    echo "ok: $po translates all $n_strings strings of the sources"
  fi
done

if [ -n "$desktop" ]; then
  for key in 'Name[cy]' 'Comment[cy]'; do
    grep -qF "$key=" "$desktop" || fail "the built desktop file $desktop has no $key"
  done
fi

[ "$failures" -eq 0 ] || exit 1
echo "ok: translations complete"
