#!/bin/sh
# check-golden.sh: what a user sees, byte for byte, against tests/golden/.
#
# Every scenario file (../shared/scenarios and tests/scenarios) goes into a
# fresh database the way test-scenarios.c loads it (init, import of its
# events as JSON Lines, its policy text as the policy file), and the
# outputs a person reads are written at the scenario's own instants (the
# "at" of its checks): the board and the inspector's list (status, status
# --reviews; text and --json), every record's timeline (text and --json),
# the escalations listing (text and --json) and the report of each month a
# child arrived in, in every format (json, html, md, csv, csv --cases) at
# the scenario's last instant.  Then one simulated month (simulate with a
# fixed seed and --not-after) and the same outputs on it.  The whole tree
# is compared with tests/golden/; the first file that differs fails the
# test with its name and the head of a unified diff.
#
# Decisions:
# - Every instant is given (--at, --not-after); nothing reads the machine's
#   clock, and --stamp is never passed, so the tree is the same every day.
#   LC_ALL=C.UTF-8 and TZ=UTC are set here too, not only by tests_env, so
#   that --update run by hand writes what the test compares.
# - Escalation records are written only by the agent at the times of its
#   own clock (raised_at is the pass's time, and --start needs --speed,
#   whose clock runs from the process's start), so they cannot be made at a
#   fixed instant from outside.  The listing is covered instead on rows
#   inserted as interfaces.md's table contract has them (the way
#   test-cli.c's /cli/escalations-and-ack does), once, in escalations/.
# - One output per file, named by command, record and instant (colons and
#   dashes dropped from the instant), so that a difference names its
#   command.
# - A shell script in suite e2e, like cli-welsh.sh: the valgrind setup
#   (which skips e2e) checks the programs, not the shell and its hundreds
#   of short runs.  Under ASan it passes as it is (the same bytes, slower).
#
# Usage (meson sets the variables through tests_env):
#   tests/check-golden.sh              compare (CUSTODY_CLOCK_BIN etc. set)
#   tests/check-golden.sh --update BUILDDIR
#                                      rewrite tests/golden/ with BUILDDIR's
#                                      binaries (HACKING.md: only with a
#                                      behaviour change the commit names)
set -u

update=0
if [ "${1:-}" = "--update" ]; then
  update=1
  shift
fi
if [ $# -gt 0 ]; then
  CUSTODY_CLOCK_BIN=$1/src/cli/custody-clock
  CUSTODY_CLOCK_SOURCE_ROOT=${CUSTODY_CLOCK_SOURCE_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
  CUSTODY_CLOCK_SCENARIOS=${CUSTODY_CLOCK_SCENARIOS:-$CUSTODY_CLOCK_SOURCE_ROOT/../shared/scenarios}
  CUSTODY_CLOCK_LOCALEDIR=${CUSTODY_CLOCK_LOCALEDIR:-$1/po}
  export CUSTODY_CLOCK_LOCALEDIR
fi
: "${CUSTODY_CLOCK_BIN:?}" "${CUSTODY_CLOCK_SCENARIOS:?}" "${CUSTODY_CLOCK_SOURCE_ROOT:?}"
[ -x "$CUSTODY_CLOCK_BIN" ] || { echo "FAIL: $CUSTODY_CLOCK_BIN is not a program"; exit 1; }

golden=$CUSTODY_CLOCK_SOURCE_ROOT/tests/golden

# The desk's language and zone fixed; no policy, database or home of the
# person running it can leak in (the CLI overlays ~/.config's policy).
LC_ALL=C.UTF-8
TZ=UTC
export LC_ALL TZ
unset LANGUAGE LANG LC_MESSAGES CUSTODY_CLOCK_DB

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
HOME=$tmp/home
XDG_CONFIG_HOME=$tmp/home/.config
XDG_DATA_HOME=$tmp/home/.local/share
export HOME XDG_CONFIG_HOME XDG_DATA_HOME
mkdir -p "$HOME"
out=$tmp/golden

# run FILE ARGS…: custody-clock ARGS… into FILE; a command that fails
# fails the test at once, since its output would be compared for nothing.
run () {
  file=$1
  shift
  if ! "$CUSTODY_CLOCK_BIN" --db "$db" --policy "$policy" "$@" >"$file" 2>"$tmp/stderr"; then
    echo "FAIL: custody-clock $*: exit status $? ($(head -c 500 "$tmp/stderr"))"
    exit 1
  fi
}

# stamp AT: an instant as part of a file name (2022-03-08T17:00:00Z →
# 20220308T170000Z).
stamp () {
  printf '%s' "$1" | tr -d ':-'
}

# outputs DIR PLAN: what a user sees of the database $db, as PLAN (lines of
# "board AT", "timeline RECORD AT", "report MONTH AT") lists it.
outputs () {
  dir=$1
  mkdir -p "$dir"
  while read -r what a b; do
    case $what in
      board)
        s=$(stamp "$a")
        run "$dir/status-$s.txt" status --at "$a"
        run "$dir/status-$s.json" status --at "$a" --json
        run "$dir/reviews-$s.txt" status --reviews --at "$a"
        run "$dir/reviews-$s.json" status --reviews --at "$a" --json
        ;;
      timeline)
        s=$(stamp "$b")
        run "$dir/timeline-$a-$s.txt" timeline "$a" --at "$b"
        run "$dir/timeline-$a-$s.json" timeline "$a" --at "$b" --json
        ;;
      report)
        s=$(stamp "$b")
        for f in json html md csv; do
          run "$dir/report-$a-$s.$f" report --month "$a" --at "$b" --format "$f"
        done
        run "$dir/report-$a-$s-cases.csv" report --month "$a" --at "$b" --format csv --cases
        ;;
    esac
  done <"$2"
  run "$dir/escalations.txt" escalations
  run "$dir/escalations.json" escalations --json
}

# The scenarios, loaded as test-scenarios.c loads them, but for one thing:
# an event that gives no recorded_at is given its occurred_at (keyed as it
# happened), since import would stamp the time of import, which the
# timeline shows and the report's late entries count.  Every event must
# name its event_id (import would make a random one).  python3 (as
# cli-welsh.sh uses) turns a file into events.jsonl, policy.ini and the
# plan: the board at every distinct instant of its checks, the timeline of
# each record a check names at the check's instant and of every record at
# the last instant (the board shows every record at every instant), and
# each arrival's month (UTC) at the last instant.
for scenario in "$CUSTODY_CLOCK_SCENARIOS"/*.json "$CUSTODY_CLOCK_SOURCE_ROOT"/tests/scenarios/*.json; do
  case $scenario in
    "$CUSTODY_CLOCK_SCENARIOS"/*) from=shared ;;
    *) from=project ;;
  esac
  name=$(basename "$scenario" .json)
  work=$tmp/work/$from/$name
  mkdir -p "$work"
  db=$work/custody.db
  policy=$work/policy.ini
  python3 - "$scenario" "$work" <<'EOF' || { echo "FAIL: $scenario: not a scenario"; exit 1; }
import datetime, json, sys
scenario = json.load(open(sys.argv[1]))
work = sys.argv[2]
with open(work + "/events.jsonl", "w") as f:
    for event in scenario["events"]:
        if "event_id" not in event:
            sys.exit("%s: an event without event_id would get a random one" % sys.argv[1])
        event.setdefault("recorded_at", event["occurred_at"])
        f.write(json.dumps(event) + "\n")
with open(work + "/policy.ini", "w") as f:
    f.write(scenario.get("policy", ""))
def instant(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
ats = sorted({c["at"] for c in scenario.get("checks", [])}, key=lambda a: (instant(a), a))
records = sorted({e["record_id"] for e in scenario["events"]})
months = sorted({e["occurred_at"][:7] for e in scenario["events"] if e["type"] == "arrival"})
pairs = {(c["record_id"], c["at"]) for c in scenario.get("checks", [])}
pairs |= {(record, ats[-1]) for record in records}
with open(work + "/plan", "w") as f:
    for at in ats:
        f.write("board %s\n" % at)
        for record in records:
            if (record, at) in pairs:
                f.write("timeline %s %s\n" % (record, at))
    for month in months:
        f.write("report %s %s\n" % (month, ats[-1]))
EOF
  run "$tmp/init.out" init
  run "$tmp/import.out" import "$work/events.jsonl"
  outputs "$out/$from/$name" "$work/plan"
done

# Escalation records as the agent and the desk write them (interfaces.md's
# columns), with fixed times: open, acknowledged (ack stamps the machine's
# time, so the acknowledgement is a row here too) and resolved.  The
# listing's text and JSON, all and --open.
work=$tmp/work/escalations
mkdir -p "$work"
db=$work/custody.db
policy=$work/policy.ini
: >"$policy"
run "$tmp/init.out" init
sqlite3 "$db" "INSERT INTO escalation (record_id, rule, occurrence, level, breached_at, raised_at,
                 acknowledged_at, acknowledged_by, ack_note, resolved_at, resolution) VALUES
  ('WI-SWN-22-0101', 'aa_requested', 1, 'sergeant', '2022-03-08T16:00:00Z', '2022-03-08T16:00:00Z',
   NULL, NULL, NULL, NULL, NULL),
  ('WI-SWN-22-0101', 'aa_requested', 1, 'inspector', '2022-03-08T16:00:00Z', '2022-03-08T16:30:00Z',
   '2022-03-08T16:41:00Z', 'Insp 77', 'AA scheme called', NULL, NULL),
  ('XX-CEN-22-0202', 'review', 2, 'sergeant', '2022-11-06T07:15:00Z', '2022-11-06T07:15:00Z',
   NULL, NULL, NULL, '2022-11-06T07:50:00Z', 'satisfied');" ||
  { echo "FAIL: sqlite3 could not write escalation rows"; exit 1; }
mkdir -p "$out/escalations"
run "$out/escalations/listed.txt" escalations
run "$out/escalations/listed.json" escalations --json
run "$out/escalations/open.txt" escalations --open
run "$out/escalations/open.json" escalations --open --json

# One simulated month: 300 records asked for from a fixed seed, ten
# arrivals a day from 1 March 2026, nothing after the 29th at 18:00 UTC: 296
# records, 5 of them still open on the board then (by the 31st every
# record had closed and the board was empty).
work=$tmp/work/simulated
mkdir -p "$work"
db=$work/custody.db
policy=$work/policy.ini
: >"$policy"
sim_at=2026-03-29T18:00:00Z
run "$tmp/simulate.out" simulate --records 300 --start 2026-03-01 --seed 20260301 --per-day 10 --not-after "$sim_at"
{
  echo "board $sim_at"
  echo "report 2026-03 $sim_at"
} >"$work/plan"
# A few records' timelines: the first three and the last two by number
# (the last are still open).
sqlite3 "$db" "SELECT DISTINCT record_id FROM custody_event ORDER BY record_id" >"$work/records" ||
  { echo "FAIL: sqlite3 could not read the simulated log"; exit 1; }
{ head -n 3 "$work/records"; tail -n 2 "$work/records"; } | while read -r record; do
  echo "timeline $record $sim_at"
done >>"$work/plan"
outputs "$out/simulated" "$work/plan"

# The reports and the JSON outputs are kept gzipped (FILE.gz): a report
# carries the definitions and the policy (some 20 KB; the HTML its
# stylesheet too) and a timeline's JSON every occurrence of every clock, so
# plain they made the tree 4.8 MB; gzipped it is under 1 MB.  The text a
# person reads at the desk (status, reviews, timeline, escalations) stays
# plain, to be read in a review.  Files are compared uncompressed, so
# gzip's version never matters; gzip -n keeps no name or time in them.
stored () {
  case $1 in
    */report-* | *.json) echo "$1.gz" ;;
    *) echo "$1" ;;
  esac
}

(cd "$out" && find . -type f | LC_ALL=C sort) >"$tmp/actual.list"

if [ $update = 1 ]; then
  rm -rf "$golden"
  while read -r f; do
    mkdir -p "$golden/$(dirname "$f")"
    case $(stored "$f") in
      *.gz) gzip -9n <"$out/$f" >"$golden/$f.gz" ;;
      *) cp "$out/$f" "$golden/$f" ;;
    esac || exit 1
  done <"$tmp/actual.list"
  echo "updated $golden: $(find "$golden" -type f | wc -l) files, $(du -sk "$golden" | cut -f1) KiB"
  exit 0
fi

[ -d "$golden" ] || { echo "FAIL: $golden is missing: run tests/check-golden.sh --update BUILDDIR"; exit 1; }
while read -r f; do stored "$f"; done <"$tmp/actual.list" >"$tmp/made.list"
(cd "$golden" && find . -type f | LC_ALL=C sort) >"$tmp/expected.list"
if ! cmp -s "$tmp/expected.list" "$tmp/made.list"; then
  echo "FAIL: the files made differ from those in tests/golden (- expected, + made):"
  diff -u "$tmp/expected.list" "$tmp/made.list" | sed -n '3,40p'
  exit 1
fi
n=0
while read -r f; do
  n=$((n + 1))
  expected=$golden/$f
  case $(stored "$f") in
    *.gz)
      expected=$tmp/expected
      gzip -dc "$golden/$f.gz" >"$expected" || { echo "FAIL: tests/golden/${f#./}.gz is not gzip"; exit 1; }
      ;;
  esac
  if ! cmp -s "$expected" "$out/$f"; then
    echo "FAIL: tests/golden/$(stored "${f#./}") differs (- expected, + made); first lines of the difference:"
    diff -u "$expected" "$out/$f" | sed -n '3,30p'
    exit 1
  fi
done <"$tmp/actual.list"
echo "ok - $n files as in tests/golden"
exit 0
