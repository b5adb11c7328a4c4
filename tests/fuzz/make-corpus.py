#!/usr/bin/env python3
# Writes the seed corpus of the fuzz targets, tests/fuzz/corpus/TARGET/NAME,
# from the bundled case studies (data/demo), the policy (data/policy.ini),
# the scenarios (../shared/scenarios, tests/scenarios) and the bad-input
# kinds of custody-log.md written out here, and the dictionaries
# tests/fuzz/TARGET.dict.  The corpus is kept in git; run this again after
# changing it:  python3 tests/fuzz/make-corpus.py
# Inputs that fuzzing found and that are worth keeping go in
# corpus/TARGET/found/ (libFuzzer's -merge=1), which this leaves alone.
#
# Copyright 2026 The Custody Clock authors
# SPDX-License-Identifier: GPL-2.0-or-later

import glob
import hashlib
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CORPUS = os.path.join(HERE, "corpus")


def compact(obj):
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


class Target:
    def __init__(self, name):
        self.dir = os.path.join(CORPUS, name)
        self.seen = set()
        os.makedirs(self.dir, exist_ok=True)
        # Files are written again; folders (found/) are left alone.
        for name in os.listdir(self.dir):
            path = os.path.join(self.dir, name)
            if os.path.isfile(path):
                os.remove(path)

    def add(self, name, content):
        if isinstance(content, str):
            content = content.encode("utf-8")
        digest = hashlib.sha1(content).hexdigest()
        if digest in self.seen:
            return
        self.seen.add(digest)
        safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in name)[:60]
        with open(os.path.join(self.dir, safe), "wb") as f:
            f.write(content)


# Inputs ---------------------------------------------------------------------

with open(os.path.join(ROOT, "data", "demo", "case-studies.jsonl"), encoding="utf-8") as f:
    case_lines = [line.rstrip("\n") for line in f if line.strip()]

scenarios = []
for path in sorted(glob.glob(os.path.join(ROOT, "..", "shared", "scenarios", "*.json")) +
                   glob.glob(os.path.join(ROOT, "tests", "scenarios", "*.json"))):
    with open(path, encoding="utf-8") as f:
        scenarios.append((os.path.splitext(os.path.basename(path))[0][:20], json.load(f)))

with open(os.path.join(ROOT, "data", "policy.ini"), encoding="utf-8") as f:
    policy_ini = f.read()

ARRIVAL = {"event_id": "e-1", "record_id": "XX-TST-22-0001", "type": "arrival",
           "occurred_at": "2022-03-08T14:00:00Z", "officer": "PS 1234",
           "data": {"suite": "Swindon", "child": "C-0001", "dob": "2007-02-28"}}


def event(type_, when="2022-03-08T15:00:00Z", **extra):
    e = {"event_id": "e-" + type_, "record_id": "XX-TST-22-0001", "type": type_, "occurred_at": when}
    e.update(extra)
    return e


# The bad-input kinds of custody-log.md, and the awkward good ones, as lines.
BIG = "x" * (64 * 1024)
edge_lines = {
    "arrival": compact(ARRIVAL),
    "arrival-spaced": json.dumps(ARRIVAL, indent=1).replace("\n", " "),
    "crlf": compact(ARRIVAL) + "\r",
    "invalid-truncated": compact(ARRIVAL)[:-7],
    "invalid-trailing-comma": '{"event_id":"e","record_id":"r","type":"hcp_seen","occurred_at":"2022-03-08T14:00:00Z",}',
    "invalid-single-quotes": "{'event_id':'e','record_id':'r','type':'hcp_seen'}",
    "invalid-comment": '{"type":"hcp_seen" /* c */}',
    "invalid-leading-zero": '{"type":"observation_level","data":{"level":02}}',
    "invalid-two-values": compact(ARRIVAL) + compact(ARRIVAL),
    "invalid-nan": '{"data":{"level":NaN}}',
    "invalid-huge-float": '{"event_id":"e","record_id":"r","type":"cell_visit","occurred_at":"2022-03-08T14:00:00Z","data":{"n":1e400}}',
    "huge-int": '{"event_id":"e","record_id":"r","type":"cell_visit","occurred_at":"2022-03-08T14:00:00Z","data":{"n":18446744073709551616}}',
    "int64-min": '{"event_id":"e","record_id":"r","type":"observation_level","occurred_at":"2022-03-08T14:00:00Z","data":{"level":-9223372036854775808}}',
    "float-exp": '{"event_id":"e","record_id":"r","type":"cell_visit","occurred_at":"2022-03-08T14:00:00Z","data":{"n":1e20,"m":-0.0,"k":1E-400}}',
    "nul-escape": '{"event_id":"e\\u0000x","record_id":"r","type":"hcp_seen","occurred_at":"2022-03-08T14:00:00Z"}',
    "lone-surrogate": '{"event_id":"e\\ud800","record_id":"r","type":"hcp_seen","occurred_at":"2022-03-08T14:00:00Z"}',
    "surrogate-pair": '{"event_id":"e\\ud83d\\ude00","record_id":"r\\u00e9","type":"hcp_seen","occurred_at":"2022-03-08T14:00:00Z","data":{"note":"\\u2028"}}',
    "raw-control": '{"event_id":"e\tx","record_id":"r","type":"hcp_seen","occurred_at":"2022-03-08T14:00:00Z"}',
    "bom": "\ufeff" + compact(ARRIVAL),
    "not-object": "[1,2,3]",
    "string": '"arrival"',
    "empty-object": "{}",
    "nested-32": '{"event_id":"e","record_id":"r","type":"cell_visit","occurred_at":"2022-03-08T14:00:00Z","data":{"a":' + "[" * 30 + "]" * 30 + "}}",
    "nested-33": '{"data":{"a":' + "[" * 31 + "]" * 31 + "}}",
    "nested-deep": "[" * 5000,
    "nested-objects": '{"data":' + '{"a":' * 40 + "1" + "}" * 41,
    "missing-record": compact({k: v for k, v in ARRIVAL.items() if k != "record_id"}),
    "missing-type": compact({k: v for k, v in ARRIVAL.items() if k != "type"}),
    "missing-time": compact({k: v for k, v in ARRIVAL.items() if k != "occurred_at"}),
    "missing-event-id": compact({k: v for k, v in ARRIVAL.items() if k != "event_id"}),
    "missing-suite": compact(dict(ARRIVAL, data={"child": "C-1"})),
    "blank-child": compact(dict(ARRIVAL, data={"suite": "S", "child": "  "})),
    "no-offset": compact(dict(ARRIVAL, occurred_at="2022-03-08T14:00:00")),
    "dst-gap": compact(dict(ARRIVAL, occurred_at="2022-03-27T01:30:00")),
    "dst-overlap": compact(dict(ARRIVAL, occurred_at="2022-10-30T01:30:00")),
    "dst-gap-until": compact(event("extension_authorised", data={"rank": "superintendent", "until": "2022-03-27T01:30:00"})),
    "no-offset-until": compact(event("warrant_granted", data={"until": "2022-03-10T14:00:00"})),
    "no-offset-relevant": compact(dict(ARRIVAL, data={"suite": "S", "child": "C", "relevant_time": "2022-03-08T13:00:00"})),
    "far-past-until": compact(event("warrant_granted", data={"until": "0001-01-01T00:00:00"})),
    "far-future-until": compact(event("warrant_granted", data={"until": "9999-12-31T23:59:59"})),
    "year-1-east": compact(dict(ARRIVAL, occurred_at="0001-01-01T00:00:00+14:00")),
    "year-9999-west": compact(dict(ARRIVAL, occurred_at="9999-12-31T23:59:59-12:00")),
    "future": compact(dict(ARRIVAL, occurred_at="2031-01-01T00:00:00Z")),
    "fraction": compact(dict(ARRIVAL, occurred_at="2022-03-08T14:00:00.999999999+01:00", recorded_at="2022-03-08t14:20:00z")),
    "recorded-at": compact(dict(ARRIVAL, recorded_at="2022-03-08T14:20:00.123Z")),
    "recorded-bad": compact(dict(ARRIVAL, recorded_at="yesterday")),
    "oversized-data": compact(event("cell_visit", data={"note": BIG})),
    "oversized-line": compact(event("cell_visit", data={"note": "y" * (80 * 1024)})),
    "unknown-type": compact(event("tea_offered")),
    "capital-type": compact(event("Arrival")),
    "type-number": compact(event("hcp_seen", type=7)),
    "supersedes": compact(event("review", supersedes="e-review-0", data={"rank": "inspector"})),
    "supersedes-self": compact(event("review", supersedes="e-review")),
    "void": compact(event("void", supersedes="e-1")),
    "void-alone": compact(event("void")),
    "level-string": compact(event("observation_level", data={"level": "2"})),
    "level-5": compact(event("observation_level", data={"level": 5})),
    "level-float": compact(event("observation_level", data={"level": 2.0})),
    "bool-string": compact(event("interview_started", data={"aa_present": "true"})),
    "enum-bad": compact(event("released", data={"outcome": "escaped"})),
    "rank-spaces": compact(event("review", data={"rank": "Chief Inspector"})),
    "rank-bad": compact(event("strip_search", data={"authorised_rank": "general"})),
    "dob-bad": compact(dict(ARRIVAL, data={"suite": "S", "child": "C", "dob": "2010-02-30"})),
    "dob-format": compact(dict(ARRIVAL, data={"suite": "S", "child": "C", "dob": "01/02/2010"})),
    "data-null": compact(event("hcp_seen", data=None)),
    "data-array": compact(event("hcp_seen", data=[1])),
    "data-string": compact(event("hcp_seen", data="x")),
    "data-nested": compact(event("cell_visit", data={"note": "ok", "extra": {"a": [1, 2, {"b": None}]}, "n": None})),
    "data-unicode": compact(event("aa_arrived", data={"name": "Zoë \"Z\" O'Brien\\ \u00e9\u4e2d"})),
    "record-space": compact(dict(ARRIVAL, record_id=" XX-1")),
    "record-control": compact(dict(ARRIVAL, record_id="XX\u0007")),
    "record-long": compact(dict(ARRIVAL, record_id="R" * 65)),
    "officer-long": compact(dict(ARRIVAL, officer="O" * 129)),
    "officer-null": compact(dict(ARRIVAL, officer=None)),
    "duplicate-keys": '{"event_id":"e","event_id":"f","record_id":"r","type":"hcp_seen","type":"arrival","occurred_at":"2022-03-08T14:00:00Z","data":{"suite":"a","suite":"b","child":"c"}}',
    "la-response": compact(event("la_response", data={"outcome": "no_bed"})),
    "la-response-missing": compact(event("la_response")),
    "review-postponed": compact(event("review_postponed", data={"reason": "child asleep"})),
    "extension": compact(event("extension_authorised", data={"rank": "superintendent", "until": "2022-03-10T02:00:00+00:00"})),
}

time_edges = [
    "2022-03-08T14:00:00Z", "2022-03-08t14:00:00z", "2022-03-08 14:00:00Z",
    "2022-03-08T14:00:00+01:00", "2022-03-08T14:00:00-01:00", "2022-03-08T14:00:00+14:00",
    "2022-03-08T14:00:00-14:00", "2022-03-08T14:00:00+23:59", "2022-03-08T14:00:00+24:00",
    "2022-03-08T14:00:00+00:60", "2022-03-08T14:00:00.5Z", "2022-03-08T14:00:00.123456789012+05:45",
    "2022-03-08T14:00:00.Z", "2016-12-31T23:59:60Z", "2022-03-08T24:00:00Z", "2022-03-08T23:60:00Z",
    "2022-02-29T00:00:00Z", "2024-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2000-02-29T00:00:00Z",
    "0000-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "0001-01-01T00:00:00+14:00", "0001-01-01T00:00:00",
    "9999-12-31T23:59:59Z", "9999-12-31T23:59:59-14:00", "9999-12-31T23:59:59", "1970-01-01T00:00:00Z",
    "1969-12-31T23:59:59Z", "2022-03-27T01:30:00", "2022-10-30T01:30:00", "2022-03-13T02:30:00",
    "2011-12-30T12:00:00", "2022-04-03T01:45:00", "2022-03-08T14:00:00", "2022-03-08T14:00Z",
    "2022-03-08", "2010-09-01", "2010-13-01", "2010-04-31", "20220308T140000Z", "2022-03-08T14:00:00+0100",
    "2022-03-08T14:00:00 +01:00", "2022-03-08T14:00:00Z ", " 2022-03-08T14:00:00Z", "",
    "90s", "30m", "4h", "1h30m", "2d", "1d2h3m4s", "0s", "1h0m", "36500d", "36501d",
    "99999999999999999999999999d", "1h1h", "1m1h", "1.5h", "-1h", "h", "1", "none",
    "2022-03-08T14:00:00\u00a0Z", "\u20222022", "2022-03-08T14:00:00+01:00\n",
]

row_columns = ["event_id", "record_id", "type", "occurred_at", "recorded_at", "officer", "data", "supersedes"]


def row_text(values):
    out = []
    for column in row_columns:
        v = values.get(column)
        if v is None:
            out.append("\\N")
        elif isinstance(v, str):
            out.append(v)
        else:
            out.append(compact(v))
    return "\n".join(out)


# event-line ------------------------------------------------------------------

t = Target("fuzz-event-line")
for i, line in enumerate(case_lines):
    t.add("case-%02d" % i, line)
for name, scenario in scenarios:
    for i, e in enumerate(scenario["events"]):
        t.add("%s-%02d" % (name, i), compact(e))
    t.add("%s-pretty" % name, json.dumps(scenario["events"][0], indent=2))
for name, line in edge_lines.items():
    t.add(name, line)
t.add("invalid-utf8", b'{"event_id":"e\xff","record_id":"r","type":"hcp_seen","occurred_at":"2022-03-08T14:00:00Z"}')
t.add("nul-byte", b'{"event_id":"e","record_id":"r\x00","type":"hcp_seen","occurred_at":"2022-03-08T14:00:00Z"}')

# event-row -------------------------------------------------------------------

t = Target("fuzz-event-row")
for i, line in enumerate(case_lines):
    t.add("case-%02d" % i, row_text(json.loads(line)))
for name, scenario in scenarios:
    for i, e in enumerate(scenario["events"][:6]):
        t.add("%s-%02d" % (name, i), row_text(e))
base = dict(ARRIVAL)
for name, values in {
    "sqlite-timestamp": dict(base, recorded_at="2022-03-08 14:20:00"),
    "sqlite-default": dict(base, recorded_at="2022-03-08T14:20:00.123Z"),
    "recorded-garbage": dict(base, recorded_at="garbage"),
    "recorded-dst-gap": dict(base, recorded_at="2022-03-27T01:30:00"),
    "all-null": {},
    "data-empty-text": dict(base, data=""),
    "data-null-text": dict(base, data="null"),
    "data-array": dict(base, data="[]"),
    "data-flat": dict(base, data='{"suite":"S","child":"C","looked_after":true,"indictable":false,"x":null,"n":-12}'),
    "data-flat-escapes": dict(base, data='{"suite":"S\\"\\\\\\/\\b\\f\\n\\r\\t","child":"C\\u00e9"}'),
    "data-float": dict(base, data='{"suite":"S","child":"C","n":1.5e3}'),
    "data-big-int": dict(base, data='{"suite":"S","child":"C","n":1234567890123456789012}'),
    "data-19-digits": dict(base, data='{"suite":"S","child":"C","n":-1234567890123456789}'),
    "data-nested": dict(base, data='{"suite":"S","child":"C","n":{"a":[1,{"b":[]}]}}'),
    "data-spaces": dict(base, data=' { "suite" : "S" , "child" : "C" } '),
    "data-duplicate": dict(base, data='{"suite":"S","suite":7,"child":"C"}'),
    "data-trailing": dict(base, data='{"suite":"S","child":"C"} x'),
    "data-deep": dict(base, data='{"a":' + "[" * 40 + "]" * 40 + "}"),
    "data-oversized": dict(base, data='{"suite":"S","child":"C","note":"' + BIG + '"}'),
    "level-row": {"event_id": "e", "record_id": "r", "type": "observation_level",
                  "occurred_at": "2022-03-08T14:00:00Z", "data": '{"level":4}'},
    "void-row": {"event_id": "e", "record_id": "r", "type": "void",
                 "occurred_at": "2022-03-08T14:00:00Z", "supersedes": "e-0"},
    "no-offset-row": dict(base, occurred_at="2022-03-08T14:00:00"),
    "year-1-east-row": dict(base, occurred_at="0001-01-01T00:00:00+01:00"),
    "year-9999-west-row": dict(base, occurred_at="9999-12-31T23:59:59-01:00"),
    "until-far": {"event_id": "e", "record_id": "r", "type": "warrant_granted",
                  "occurred_at": "2022-03-08T14:00:00Z", "data": '{"until":"9999-12-31T23:59:59-01:00"}'},
}.items():
    t.add(name, row_text(values))
t.add("invalid-utf8", b"e\nr\xc3\nhcp_seen\n2022-03-08T14:00:00Z\n\\N\n\\N\n{}\n\\N")

# time ------------------------------------------------------------------------

t = Target("fuzz-time")
for i, text in enumerate(time_edges):
    t.add("edge-%02d" % i, text)
for i, line in enumerate(case_lines[:20]):
    t.add("case-%02d" % i, json.loads(line)["occurred_at"])
t.add("int64-min", b"\x00\x00\x00\x00\x00\x00\x00\x80")
t.add("invalid-utf8", b"2022-03-08T14:00:00\xffZ")

# policy ----------------------------------------------------------------------

t = Target("fuzz-policy")
t.add("policy.ini", policy_ini)
group = None
groups = {}
for line in policy_ini.splitlines():
    if line.startswith("["):
        group = line.strip("[]")
    if group is not None:
        groups.setdefault(group, []).append(line)
for name, lines in groups.items():
    t.add("group-" + name, "\n".join(lines) + "\n")
for name, scenario in scenarios:
    if scenario.get("policy"):
        t.add("scenario-" + name, scenario["policy"])
for name, text in {
    "empty": "",
    "comment-only": "# nothing\n",
    "bom": "\ufeff[display]\nprivacy=true\n",
    "crlf": "[display]\r\nprivacy=false\r\n",
    "no-group": "privacy=true\n",
    "unclosed-group": "[display\nprivacy=true\n",
    "no-equals": "[display]\nprivacy\n",
    "empty-key": "[display]\n=true\n",
    "nested-brackets": "[dis[play]]\n",
    "duplicate-group": "[report]\nlate_entry=10m\n[report]\nlate_entry=20m\n",
    "duplicate-key": "[report]\nlate_entry=10m\nlate_entry=1h\n",
    "unknown-group": "[reveiw]\ninterval=9h\n",
    "unknown-key": "[review]\nintreval=9h\n",
    "locale-key": "[display]\ntimezone[en]=UTC\n",
    "trailing-comment": "[escalation]\nack_timeout=10m  # ten minutes\n",
    "hash-no-space": "[escalation]\nack_timeout=10m#x\n",
    "durations": "[aa_requested]\nwarn_after=1h30m\nbreach_after=2d\n",
    "duration-seconds": "[welfare_informed]\nwarn_after=90s\nbreach_after=1d2h3m4s\n",
    "duration-none": "[healthcare]\nwarn_after=none\n",
    "duration-zero": "[healthcare]\nwarn_after=0\nbreach_after=0s\n",
    "duration-huge": "[report]\nlate_entry=99999999999999999999999999d\n",
    "duration-max": "[report]\nlate_entry=36500d\n",
    "duration-over": "[report]\nlate_entry=36501d\n",
    "duration-bad": "[report]\nlate_entry=1.5h\n",
    "duration-order": "[report]\nlate_entry=1m1h\n",
    "duration-negative": "[report]\nlate_entry=-1h\n",
    "bool-yes": "[cell_visit]\nenabled=yes\n",
    "bool-caps": "[rest]\nenabled=FALSE\n",
    "ladder-short": "[escalation]\nladder=sergeant;superintendent\n",
    "ladder-one": "[escalation]\nladder=inspector\n",
    "ladder-falling": "[escalation]\nladder=inspector;sergeant\n",
    "ladder-empty": "[escalation]\nladder=\n",
    "ladder-semicolons": "[escalation]\nladder=sergeant;;inspector;\n",
    "ladder-four": "[escalation]\nladder=sergeant;inspector;superintendent;superintendent\n",
    "escalate-off-ladder": "[escalation]\nladder=sergeant\n[review]\nescalate_to=inspector\n",
    "escalate-bad": "[la_refused]\nescalate_to=commissioner\n",
    "timezone-utc": "[display]\ntimezone=UTC\n",
    "timezone-typo": "[display]\ntimezone=Europe/Lodnon\n",
    "timezone-empty": "[display]\ntimezone=\n",
    "timezone-posix": "[display]\ntimezone=EST5EDT,M3.2.0,M11.1.0\n",
    "timezone-offset": "[display]\ntimezone=+05:30\n",
    "timezone-path": "[display]\ntimezone=../../../etc/hostname\n",
    "review-looser": "[review]\nfirst_after=7h\n",
    "review-stricter": "[review]\nfirst_after=4h\ninterval=8h\nwarn_before=1h\npostponed_grace=30m\n",
    "review-warn-too-long": "[review]\nwarn_before=6h\n",
    "review-disabled": "[review]\nenabled=false\n",
    "review-enabled": "[detention_limit]\nenabled=true\nwarn_before=23h59m59s\n",
    "limit-warn-24h": "[detention_limit]\nwarn_before=24h\n",
    "statutory-rule-off": "[certificate_missing]\nenabled=false\n",
    "rule-off": "[cp_referral_missing]\nenabled=false\n",
    "warn-after-breach": "[aa_arrived]\nwarn_after=5h\n",
    "breach-before-warn": "[aa_arrived]\nbreach_after=1h\n",
    "cell-level2": "[cell_visit]\ninterval=20m\ninterval_level2=30m\n",
    "rest-window": "[rest]\nmin_rest=24h\n",
    "rest-late": "[rest]\nwarn_after=17h\n",
    "rest-both": "[rest]\nmin_rest=10h\nwarn_after=15h\n",
    "privacy-off": "[display]\nprivacy=false\n",
    "escape": "[display]\ntimezone=Europe\\/London\\n\n",
    "long-value": "[report]\nlate_entry=" + "1" * 5000 + "s\n",
}.items():
    t.add(name, text)
t.add("invalid-utf8", b"[display]\ntimezone=Europe/London\xff\n")
t.add("invalid-utf8-group", b"[displ\xe9y]\nprivacy=true\n")
t.add("nul-byte", b"[display]\nprivacy=true\x00\n")

# import ----------------------------------------------------------------------

t = Target("fuzz-import")
t.add("case-studies", "\n".join(case_lines) + "\n")
for name, scenario in scenarios:
    t.add(name, "\n".join(compact(e) for e in scenario["events"]) + "\n")
later = event("hcp_seen")
t.add("bad-lines", "\n".join(line for name, line in edge_lines.items() if len(line) < 70000) + "\n")
t.add("relations", "\n".join([
    compact(event("hcp_seen", record_id="XX-HELD-1")),           # held: no arrival yet
    compact(ARRIVAL),
    compact(ARRIVAL),                                              # duplicate
    compact(dict(ARRIVAL, event_id="e-2")),                        # second arrival
    compact(dict(ARRIVAL, event_id="e-3", supersedes="e-1")),      # corrected arrival
    compact(event("review", when="2022-03-08T13:00:00Z")),         # before arrival
    compact(later),
    compact(event("void", supersedes="e-hcp_seen")),
    compact(dict(event("void", supersedes="e-1"), record_id="XX-OTHER-1")),  # across records
    compact(dict(event("review"), event_id="e-r2", supersedes="e-missing")),  # pending correction
    "",
    "   ",
    compact(ARRIVAL)[:30],
]))
t.add("crlf", "\r\n".join(case_lines[:10]) + "\r\n")
t.add("no-final-newline", "\n".join(case_lines[:5]))
t.add("blank-lines", "\n\n\n" + case_lines[0] + "\n\n")
t.add("oversized-line", case_lines[0] + "\n" + edge_lines["oversized-line"] + "\n" + case_lines[1] + "\n")
t.add("nul-and-utf8", b"\n".join([case_lines[0].encode(), b'{"a":"\x00"}', b'{"a":"\xff"}', case_lines[1].encode()]))
t.add("assume-tz", "\n".join([
    compact(dict(ARRIVAL, occurred_at="2022-03-26T23:30:00")),
    compact(event("hcp_seen", when="2022-03-27T01:30:00")),
    compact(event("hcp_seen", when="2022-03-27T02:30:00", event_id="e-x")),
    compact(event("warrant_granted", when="2022-03-27T03:00:00", data={"until": "2022-03-29T01:00:00"})),
]))

# Dictionaries (-dict=): tokens each target's input is made of ---------------

TYPES = ["arrival", "detention_authorised", "welfare_informed", "aa_requested", "aa_arrived", "aa_left",
         "hcp_requested", "hcp_seen", "lnd_seen", "hospital_left", "hospital_returned", "observation_level",
         "cell_visit", "moved", "rest_started", "rest_ended", "meal_offered", "review", "review_postponed",
         "extension_authorised", "warrant_granted", "interview_started", "interview_ended", "strip_search",
         "charged", "bail_refused", "la_requested", "la_response", "transferred_to_la", "certificate_issued",
         "cp_referral", "left_for_court", "released", "void"]
TOP_FIELDS = ["event_id", "record_id", "type", "occurred_at", "recorded_at", "officer", "data", "supersedes"]
DATA_FIELDS = ["suite", "child", "dob", "appears_under_18", "sex", "looked_after", "offence", "indictable",
               "relevant_time", "relationship", "aa_type", "name", "urgent", "purpose", "questioned", "level",
               "voice_recorded", "roused", "note", "room", "with_adult", "reason", "interrupted_for", "kind",
               "rank", "aa_representations", "child_views_recorded", "until", "aa_present",
               "urgent_authorised_rank", "authorised_rank", "child_declined_aa", "aa_agreed", "grounds", "secure",
               "outcome", "text", "reference", "court"]
VALUES = ["parent", "guardian", "social_worker", "aa_scheme", "other", "medical", "investigative", "cell",
          "detention_room", "light", "main", "accepted", "refused", "no_bed", "no_response", "impracticable",
          "no_secure_serious_harm", "nfa", "rui", "bail", "charged_bail", "caution", "constable", "sergeant",
          "inspector", "chief_inspector", "superintendent", "chief_superintendent", "assistant_chief_constable",
          "deputy_chief_constable", "chief_constable", "custody_officer", "police_staff", "Chief Inspector"]
JSON_TOKENS = ["{", "}", "[", "]", ":", ",", '"', "\\", '\\"', "\\u", "\\u0000", "\\ud83d\\ude00", "\\ud800",
               "\\n", "\\/", "true", "false", "null", "-0", "0.5", "1e400", "1e-400", "9223372036854775807",
               "-9223372036854775808", "18446744073709551616", "1E+2", "\ufeff", "\r", "\t", " "]
TIMES = ["2022-03-08T14:00:00Z", "2022-03-27T01:30:00", "2022-10-30T01:30:00", "+01:00", "-14:00", "+14:00",
         "+23:59", "Z", "z", "t", "T", ".999", ":60", "0000-", "0001-01-01T00:00:00", "9999-12-31T23:59:59",
         "2010-09-01"]
POLICY_GROUPS = ["display", "escalation", "report", "welfare_informed", "aa_requested", "aa_arrived", "healthcare",
                 "review", "detention_limit", "cell_visit", "rest", "accommodation_requested",
                 "post_charge_transfer", "interview_without_aa", "strip_search_without_aa",
                 "strip_search_authority", "charged_without_aa", "cell_with_adult", "cell_without_reason",
                 "la_refused", "certificate_missing", "cp_referral_missing", "extension_invalid", "review_rank"]
POLICY_KEYS = ["timezone", "privacy", "ack_timeout", "ladder", "late_entry", "enabled", "warn_after",
               "breach_after", "escalate_to", "first_after", "interval", "warn_before", "postponed_grace",
               "interval_level2", "min_rest"]


def write_dict(target, tokens, raw=()):
    """@tokens: text (written as UTF-8); @raw: bytes that are not text."""
    entries = []
    for data in [t.encode("utf-8") for t in tokens] + list(raw):
        text = "".join("\\\"" if b == 0x22 else "\\\\" if b == 0x5c else
                       chr(b) if 0x20 <= b < 0x7f else "\\x%02x" % b for b in data)
        if text not in entries:
            entries.append(text)
    with open(os.path.join(HERE, target + ".dict"), "w") as f:
        f.write("# libFuzzer dictionary for %s, written by make-corpus.py\n" % target)
        for text in entries:
            f.write('"%s"\n' % text)


def quoted(words):
    return ['"%s"' % w for w in words]


event_tokens = (JSON_TOKENS + quoted(TYPES) + ['"%s":' % f for f in TOP_FIELDS + DATA_FIELDS] + quoted(VALUES) +
                quoted(TIMES) + ['"type":"arrival"', '"data":{', '"supersedes":"e-1"'])
write_dict("fuzz-event-line", event_tokens, [b"\xff", b"\x00"])
write_dict("fuzz-import", event_tokens + ["\n", "\r\n", '"record_id":"XX-TST-22-0001"', '"event_id":"e-1"'],
           [b"\xff", b"\x00"])
write_dict("fuzz-event-row", JSON_TOKENS + TYPES + ['"%s":' % f for f in DATA_FIELDS] + quoted(VALUES) + TIMES +
           ["\\N", "\n", "{}", "2022-03-08 14:20:00", "2022-03-08T14:20:00.123Z"], [b"\xff"])
write_dict("fuzz-time", TIMES + ["-", ":", " ", ".", "+", "00", "23", "59", "60", "24", "29", "02-29", "12-31",
                                 "1970", "2022", "9999", "0000", "+00:00", "-00:01", "+05:45", "-03:30", "d", "h",
                                 "m", "s", "1h30m", "36500d", "36501d", "99999999999999999999"], [b"\xff", b"\x00"])
write_dict("fuzz-policy", ["[%s]\n" % g for g in POLICY_GROUPS] + ["%s=" % k for k in POLICY_KEYS] +
           ["\n", "\r\n", "[", "]", "=", "#", " # ", ";", "true", "false", "1", "0", "none", "90s", "30m", "4h",
            "1h30m", "2d", "23h59m59s", "24h", "36500d", "36501d", "99999999999999999999d", "sergeant",
            "inspector", "superintendent", "sergeant;inspector;superintendent", "Europe/London", "UTC",
            "America/New_York", "EST5EDT,M3.2.0,M11.1.0", "+05:30", "zone.tab", "[en]", "\\", "\ufeff"],
           [b"\xff", b"\x00"])
