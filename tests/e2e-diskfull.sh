#!/bin/sh
# A real full disk under the real agent: a 1 MiB tmpfs (mounted in a private
# user and mount namespace, so no privileges are needed), custody-clockd on a
# database there, a child committed with plain SQL whose AA request falls
# due two seconds later, and the disk filled to the last byte before it
# does.  Checks that the agent keeps running, says the disk is full, writes
# nothing half-way, and writes the escalation record, once, as soon as
# space returns; and that the escalation history still verifies.
#
# Exit 77 (meson: skipped) where a tmpfs cannot be mounted (no unshare, or
# user namespaces disabled, as in some CI containers).
set -eu
. "$(dirname "$0")/e2e-lib.sh"

e2e_require unshare mount sqlite3 dd
: "${CUSTODY_CLOCK_BIN:?}" "${CUSTODY_CLOCKD_BIN:?}"
tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
mkdir "$tmp/probe"
unshare -rm mount -t tmpfs -o size=64k tmpfs "$tmp/probe" >/dev/null 2>&1 ||
  { echo "# skip: cannot mount a tmpfs in a private namespace here"; exit 77; }
cat >"$tmp/policy.ini" <<EOT
[aa_requested]
warn_after=1s
breach_after=2s
[escalation]
ack_timeout=1h
[welfare_informed]
enabled=false
[aa_arrived]
enabled=false
[healthcare]
enabled=false
[cell_visit]
enabled=false
[rest]
enabled=false
EOT
export tmp

# Everything on the small disk happens in the namespace, which unmounts it
# when the last process in it ends.
unshare -rm sh -eu -c '
  mnt="$tmp/mnt"; db="$mnt/custody.db"; log="$tmp/agent.log"
  mkdir "$mnt"
  mount -t tmpfs -o size=1m tmpfs "$mnt"
  "$CUSTODY_CLOCK_BIN" init --db "$db" >/dev/null
  "$CUSTODY_CLOCKD_BIN" --db "$db" --policy "$tmp/policy.ini" --no-notify --agent-id diskfull >"$log" 2>&1 &
  agent=$!
  i=0
  until grep -q "Ready" "$log"; do
    i=$((i + 1)); [ $i -gt 100 ] && { echo "agent did not start" >"$tmp/fail"; kill $agent; exit 0; }
    sleep 0.1
  done

  now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  sqlite3 -cmd ".timeout 5000" "$db" "INSERT INTO custody_event (record_id, type, occurred_at, data) VALUES
    ('\''DF-0001'\'', '\''arrival'\'', '\''$now'\'', '\''{\"suite\":\"North\",\"child\":\"C-DF\",\"appears_under_18\":true}'\'');"
  # The WAL emptied, so that every later commit needs new blocks, then the
  # disk filled: the breach falls due on a full disk.
  sqlite3 -cmd ".timeout 5000" "$db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
  dd if=/dev/zero of="$mnt/filler" bs=4096 2>/dev/null || true
  df -k "$mnt" | tail -n 1 >"$tmp/df-full.txt"

  i=0
  until grep -q "the disk is full" "$log"; do
    i=$((i + 1)); [ $i -gt 100 ] && break
    sleep 0.1
  done
  sleep 5   # five seconds of full disk: the agent retries (1, 2 s …), stays up, and tells the desk
  sqlite3 -cmd ".timeout 5000" "$db" "SELECT count(*) FROM escalation" >"$tmp/count-full.txt"
  if kill -0 $agent 2>/dev/null; then echo running >"$tmp/alive.txt"; fi
  grep -c "trying again" "$log" >"$tmp/retries.txt" || true

  freed=$(date +%s.%N)
  rm "$mnt/filler"
  i=0
  until [ "$(sqlite3 -cmd ".timeout 5000" "$db" "SELECT count(*) FROM escalation")" -ge 1 ] 2>/dev/null; do
    i=$((i + 1)); [ $i -gt 100 ] && break
    sleep 0.05
  done
  echo "$(date +%s.%N) $freed" | awk "{ printf \"%.0f\n\", (\$1 - \$2) * 1000 }" >"$tmp/recovery-ms.txt"
  sleep 1
  sqlite3 -cmd ".timeout 5000" "$db" "SELECT count(*), sum(late), max(strftime('\''%s'\'', raised_at) - strftime('\''%s'\'', breached_at))
                 FROM escalation WHERE record_id = '\''DF-0001'\'' AND rule = '\''aa_requested'\''" >"$tmp/record.txt"
  "$CUSTODY_CLOCK_BIN" doctor --db "$db" >"$tmp/doctor.txt" 2>&1 && echo 0 >"$tmp/doctor.exit" || echo $? >"$tmp/doctor.exit"
  kill -TERM $agent
  wait $agent && echo 0 >"$tmp/agent.exit" || echo $? >"$tmp/agent.exit"
'

fail=0
check () { if eval "$1"; then echo "ok - $2"; else echo "not ok - $2"; fail=1; fi; }

check '[ ! -e "$tmp/fail" ]' "the agent started on the small disk"
check 'grep -q "^0\$" "$tmp/count-full.txt"' "no escalation record while the disk is full (nothing half-written)"
check 'grep -q "Could not read or write the custody log (.*custody.db: the disk is full" "$tmp/agent.log"' \
  "the agent says the disk is full and names the database"
check 'grep -q running "$tmp/alive.txt"' "the agent keeps running on a full disk"
check 'grep -q "Custody Clock cannot write to the custody log" "$tmp/agent.log"' "the desk is told that breaches are not being recorded"
check '[ "$(cat "$tmp/retries.txt")" -ge 1 ] && grep -Eq "again, after ([2-9]|[1-9][0-9]+) failed attempt" "$tmp/agent.log"' "it tries again (1, 2, 4 … s), logging the same error once"
check 'grep -q "^1|0|" "$tmp/record.txt"' "when space returns the record is written once (seconds late, so not marked late)"
check 'grep -q "Escalation history: 1 entry, chain intact" "$tmp/doctor.txt"' "the escalation history verifies"
check 'grep -q "^0\$" "$tmp/agent.exit"' "the agent stops cleanly on SIGTERM"
echo "# full disk: $(cat "$tmp/df-full.txt" 2>/dev/null)"
echo "# retries logged in the full-disk spell: $(cat "$tmp/retries.txt" 2>/dev/null)"
echo "# space freed to record written: $(cat "$tmp/recovery-ms.txt" 2>/dev/null) ms"
echo "# record (count|late|raised - breached s): $(cat "$tmp/record.txt" 2>/dev/null)"
if [ $fail != 0 ]; then
  echo "# agent log:"; sed 's/^/# /' "$tmp/agent.log"
  echo "# doctor:"; sed 's/^/# /' "$tmp/doctor.txt" 2>/dev/null || true
fi
exit $fail
