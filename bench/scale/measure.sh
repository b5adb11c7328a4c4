#!/bin/bash
# measure.sh: baseline of issue 15 on /tmp/scale/year.db
B=${B:-_build-bench/src/cli/custody-clock}
cd /tmp/scale
t () { # label cmd...
  label=$1; shift
  /usr/bin/time -v "$@" > /tmp/scale/out.$label 2> /tmp/scale/time.tmp
  w=$(grep Elapsed /tmp/scale/time.tmp | awk '{print $NF}')
  r=$(grep Maximum /tmp/scale/time.tmp | awk '{print $NF}')
  echo "$label wall=$w rss_kb=$r"
}
for i in 1 2 3; do t status_now $B status --db year.db --json; done
for i in 1 2 3; do t status_at $B status --db year.db --json --at 2025-06-15T12:00:00Z; done
for i in 1 2 3; do t timeline $B timeline SIM-NGT-25-028064 --db year.db; done
for i in 1 2 3; do
  cp pristine.db fresh.db; rm -f fresh.db-wal fresh.db-shm
  t report_first $B report --db fresh.db --month 2025-06 --at 2026-01-01T00:00:00Z --format json
  t report_second $B report --db fresh.db --month 2025-06 --at 2026-01-01T00:00:00Z --format json
done
for i in 1 2 3; do t sqlite_month sqlite3 year.db "SELECT * FROM custody_event WHERE record_id IN (SELECT record_id FROM custody_event WHERE type = 'arrival' AND occurred_at >= '2025-06-01' AND occurred_at < '2025-07-01') ORDER BY record_id, seq"; done
