#!/bin/sh
# The command line and the agent in Welsh (po/README.md), run for real:
# custody-clock under cy_GB.UTF-8 on the first case study (an 11-year-old
# waiting 17 hours for an appropriate adult), report --lang both ways, and
# custody-clockd's notifications in the session's language.
#
# The locales come from build-aux/install-deps --tests; without cy_GB.UTF-8
# this test fails and says so, because a Welsh desk is what it checks.
set -u
: "${CUSTODY_CLOCK_BIN:?}" "${CUSTODY_CLOCKD_BIN:?}" "${CUSTODY_CLOCK_SCENARIOS:?}" "${LOCALEDIR:?}"
CUSTODY_CLOCK_LOCALEDIR=$LOCALEDIR
export CUSTODY_CLOCK_LOCALEDIR
unset LANGUAGE LC_MESSAGES LANG

failures=0
check () {
  if eval "$1"; then
    echo "ok - $2"
  else
    echo "not ok - $2"
    failures=$((failures + 1))
  fi
}

for l in cy_GB en_GB; do
  if ! locale -a 2>/dev/null | grep -qx "$l.utf8"; then
    echo "FAIL: the $l.UTF-8 locale is not generated here: run build-aux/install-deps --tests"
    exit 1
  fi
done

tmp=$(mktemp -d) || exit 1
agent_pid=""
trap '[ -n "$agent_pid" ] && kill "$agent_pid" 2>/dev/null; rm -rf "$tmp"' EXIT
db="$tmp/custody.db"

# What the Welsh catalogue says for a msgid, as the reader should see it.
cy () {
  LANGUAGE=cy LC_ALL=cy_GB.UTF-8 TEXTDOMAINDIR=$LOCALEDIR gettext -d custody-clock "$1"
}

python3 - "$CUSTODY_CLOCK_SCENARIOS/01-wiltshire-11-year-old.json" >"$tmp/events.jsonl" <<'EOF' || exit 1
import json, sys
for event in json.load(open(sys.argv[1]))["events"]:
    print(json.dumps(event))
EOF

cc () {
  "$CUSTODY_CLOCK_BIN" --db "$db" "$@"
}
LC_ALL=C.UTF-8 cc init >/dev/null || exit 1
LC_ALL=C.UTF-8 cc import "$tmp/events.jsonl" >/dev/null || exit 1
at=2022-03-09T09:00:00Z

# The command line under the Welsh locale.
LC_ALL=cy_GB.UTF-8 "$CUSTODY_CLOCK_BIN" --help >"$tmp/help.cy" 2>&1
commands_cy=$(cy "Commands:")
check '[ "$commands_cy" != "Commands:" ] && grep -qF "$commands_cy" "$tmp/help.cy"' "--help is in Welsh ($commands_cy)"
check '! grep -q "Run .custody-clock COMMAND --help" "$tmp/help.cy"' "--help has no English sentence left"
LC_ALL=cy_GB.UTF-8 cc report --help >"$tmp/report-help.cy" 2>&1
check 'grep -qF -- "--lang" "$tmp/report-help.cy" && ! grep -q "Write the report in LANG" "$tmp/report-help.cy"' "a command's options are described in Welsh"

LC_ALL=cy_GB.UTF-8 cc timeline WI-SWN-22-0101 --at "$at" >"$tmp/timeline.cy" 2>&1
check 'grep -qi "oedolyn priodol" "$tmp/timeline.cy"' "the timeline speaks of the oedolyn priodol (appropriate adult)"
check '! grep -qi "appropriate adult" "$tmp/timeline.cy"' "the timeline has no English clock name"
check '! grep -Eq "\\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) [0-9]" "$tmp/timeline.cy"' "the timeline's dates have Welsh day names"
check 'grep -qF "WI-SWN-22-0101" "$tmp/timeline.cy"' "the record number is shown as it is"

LC_ALL=cy_GB.UTF-8 cc status --at "$at" >"$tmp/status.cy" 2>&1
check '[ -s "$tmp/status.cy" ] && ! grep -q "children in custody\\|child in custody" "$tmp/status.cy"' "the board is in Welsh"

LC_ALL=cy_GB.UTF-8 cc report --month 2022-13 >"$tmp/err.cy" 2>&1
status=$?
check '[ $status -eq 2 ]' "a bad --month is a usage error in Welsh too (exit $status)"
try_cy=$(cy "Try 'custody-clock %s --help' for more information.
" | sed 's/%s.*//')
check '[ -n "$try_cy" ] && grep -qF "$try_cy" "$tmp/err.cy" && ! grep -q "for more information" "$tmp/err.cy"' "the error says what to do, in Welsh"

# The report, both languages from one desk.
LC_ALL=cy_GB.UTF-8 cc report --month 2022-03 --at "$at" --format md >"$tmp/report.cy.md" 2>&1
LC_ALL=cy_GB.UTF-8 cc report --month 2022-03 --at "$at" --format md --lang en >"$tmp/report.en.md" 2>&1
LC_ALL=C.UTF-8 cc report --month 2022-03 --at "$at" --format md --lang cy >"$tmp/report.lang-cy.md" 2>&1
LC_ALL=C.UTF-8 cc report --month 2022-03 --at "$at" --format md >"$tmp/report.c.md" 2>&1
check 'cmp -s "$tmp/report.cy.md" "$tmp/report.lang-cy.md"' "report --lang cy on an English desk is the Welsh desk's report, byte for byte"
check 'cmp -s "$tmp/report.en.md" "$tmp/report.c.md"' "report --lang en on a Welsh desk is the English report, byte for byte"
check '! cmp -s "$tmp/report.cy.md" "$tmp/report.en.md"' "the Welsh and English reports differ"
check 'grep -qi "oedolyn priodol" "$tmp/report.cy.md" && grep -qi "appropriate adult" "$tmp/report.en.md"' "clock names are translated in the report"
check '[ "$(grep -o "[0-9][0-9]*" "$tmp/report.cy.md" | sort | md5sum)" = "$(grep -o "[0-9][0-9]*" "$tmp/report.en.md" | sort | md5sum)" ]' "the Welsh and English reports hold the same figures"

LC_ALL=C.UTF-8 cc report --month 2022-03 --at "$at" --format html --lang cy >"$tmp/report.cy.html" 2>&1
check 'grep -q "<html lang=\"cy\"" "$tmp/report.cy.html"' "the Welsh HTML report declares lang=cy"
check 'grep -q "Mawrth 2022" "$tmp/report.cy.html" && ! grep -q "March 2022" "$tmp/report.cy.html"' "the HTML report's month is in Welsh (Mawrth 2022)"
check 'grep -q "Wed 9 Mar 2022" "$tmp/report.en.md" && grep -q "Mer 9 Maw 2022" "$tmp/report.cy.md"' "dates follow the language: Wed 9 Mar 2022 / Mer 9 Maw 2022"
LC_ALL=C.UTF-8 cc report --month 2022-03 --at "$at" --format csv --lang cy >"$tmp/report.cy.csv" 2>&1
check 'grep -qi "oedolyn priodol" "$tmp/report.cy.csv"' "the CSV report is in Welsh"
LC_ALL=C.UTF-8 cc report --month 2022-03 --at "$at" --format json --lang cy >"$tmp/report.cy.json" 2>&1
LC_ALL=C.UTF-8 cc report --month 2022-03 --at "$at" --format json >"$tmp/report.en.json" 2>&1
check 'python3 - "$tmp/report.cy.json" "$tmp/report.en.json" <<EOF
import json, sys
def keys(v, path=""):
    if isinstance(v, dict):
        return {k2 for k, x in v.items() for k2 in {path + "/" + k} | keys(x, path + "/" + k)}
    if isinstance(v, list):
        return {k for x in v for k in keys(x, path + "[]")}
    return set()
cy, en = (json.load(open(p)) for p in sys.argv[1:])
assert keys(cy) == keys(en), keys(cy) ^ keys(en)
s = json.dumps(cy)
assert "aa_arrival" in s, "rule identifiers stay English"
EOF' "report JSON in Welsh keeps every key and identifier in English"

LC_ALL=C.UTF-8 cc report --month 2022-03 --lang xx >"$tmp/lang.err" 2>&1
status=$?
check '[ $status -eq 2 ] && grep -q "en, cy, en_GB" "$tmp/lang.err"' "report --lang xx is refused and lists the languages"

# LANGUAGE comes first, as gettext has it: a bilingual desk that prefers English.
LANGUAGE=en_GB:cy LC_ALL=cy_GB.UTF-8 "$CUSTODY_CLOCK_BIN" --help >"$tmp/help.en_GB" 2>&1
check 'grep -q "^Commands:" "$tmp/help.en_GB"' "LANGUAGE=en_GB:cy on a Welsh locale gives English"

# The agent speaks the session's language: LANGUAGE=cy alone, as a minimal
# systemd user environment would pass it.  A child held now, detention
# authorised six hours ago, no appropriate adult called and no healthcare
# professional come: live breaches to notify, and the board's longest Welsh
# clock name.
python3 - >"$tmp/live.jsonl" <<'EOF' || exit 1
import datetime, json
now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
at = lambda h: (now - datetime.timedelta(hours=h)).strftime("%Y-%m-%dT%H:%M:%SZ")
print(json.dumps({"event_id": "CY-LIVE-1", "record_id": "CY-LIVE", "type": "arrival", "occurred_at": at(6),
                  "data": {"suite": "Abertawe", "child": "C-CY", "dob": "2011-05-04"}}))
print(json.dumps({"event_id": "CY-LIVE-2", "record_id": "CY-LIVE", "type": "detention_authorised", "occurred_at": at(6)}))
print(json.dumps({"event_id": "CY-LIVE-3", "record_id": "CY-LIVE", "type": "hcp_requested", "occurred_at": at(5.5)}))
EOF
LC_ALL=C.UTF-8 cc import "$tmp/live.jsonl" >/dev/null || exit 1
LC_ALL=cy_GB.UTF-8 cc status >"$tmp/status-now.cy" 2>&1
check 'grep -q "CY-LIVE" "$tmp/status-now.cy" && grep -q "TORRWYD" "$tmp/status-now.cy"' "the board shows the live breach in Welsh (TORRWYD)"
check '! grep -Eq "[[:alpha:]][0-9]{1,2}:[0-9]{2}|[0-9]{2}:[0-9]{2}[0-9]" "$tmp/status-now.cy"' "the board's columns stay apart with the longer Welsh words"
env -u LC_ALL -u LANG LANGUAGE=cy G_MESSAGES_DEBUG= "$CUSTODY_CLOCKD_BIN" --db "$db" --no-notify --agent-id welsh-desk \
  >"$tmp/agent.out" 2>&1 &
agent_pid=$!
i=0
while [ $i -lt 100 ] && ! grep -qi "oedolyn priodol" "$tmp/agent.out"; do
  sleep 0.1
  i=$((i + 1))
done
kill "$agent_pid" 2>/dev/null
wait "$agent_pid" 2>/dev/null
agent_pid=""
check 'grep -qi "oedolyn priodol" "$tmp/agent.out"' "the agent's notifications are in Welsh"
check '! grep -qi "appropriate adult" "$tmp/agent.out"' "the agent's notifications have no English clock name"
check '! grep -q "2011-05-04\\|C-CY" "$tmp/agent.out"' "no date of birth or child reference in the agent's Welsh log"

if [ "$failures" -ne 0 ]; then
  echo "--- timeline (cy)"; cat "$tmp/timeline.cy"
  echo "--- agent (cy)"; head -40 "$tmp/agent.out"
  exit 1
fi
echo "ok: Custody Clock speaks Welsh"
