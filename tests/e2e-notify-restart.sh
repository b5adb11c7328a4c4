#!/bin/sh
# Notifications owed and delivered once, on a real desktop: Xvfb, a private
# session bus without D-Bus activation (so that no notification server is
# there until the test starts one), the real dunst, and custody-clockd.
#
#  1. The agent starts with no notification server; two children's AA
#     requests are already overdue: both records are written, nothing shown.
#  2. dunst starts: each owed notification is shown exactly once.
#  3. dunst is killed; a third child's breach comes while it is away.
#  4. dunst starts again: the third is shown once, the first two not again;
#     a fourth breach afterwards is shown once.
#
# What the agent sent is read on the bus (dbus-monitor): every Notify call,
# counted per record.  Exit 77 (skipped) when the desktop tools are missing.
set -eu
. "$(dirname "$0")/e2e-lib.sh"

e2e_require Xvfb dunst dunstctl dbus-run-session dbus-send dbus-monitor dbus-daemon sqlite3 xwd
: "${CUSTODY_CLOCK_BIN:?}" "${CUSTODY_CLOCKD_BIN:?}"

tmp=$(mktemp -d)
cleanup () {
  [ -n "${xvfb:-}" ] && kill "$xvfb" 2>/dev/null || true
  [ -n "${KEEP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT

e2e_start_xvfb 800x600

# A session bus like the usual one, but with no service directories: a
# call to org.freedesktop.Notifications cannot start a server by itself.
cat >"$tmp/session.conf" <<EOT
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:tmpdir=$tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOT
cat >"$tmp/dunstrc" <<EOT
[global]
    font = Monospace 10
    width = 500
    origin = top-right
    offset = 10x10
EOT
# Only the AA request is watched, and nothing climbs during the test.
cat >"$tmp/policy.ini" <<EOT
[escalation]
ack_timeout=24h
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

db="$tmp/custody.db"
an_hour_ago=$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)
export tmp db an_hour_ago

dbus-run-session --config-file="$tmp/session.conf" -- sh -eu -c '
  log="$tmp/agent.log"
  wait_for () { # CONDITION WHAT
    i=0
    until eval "$1"; do
      i=$((i + 1)); [ $i -gt 150 ] && { echo "timed out: $2" >>"$tmp/timeouts"; return 0; }
      sleep 0.1
    done
  }
  has_server () {
    dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.Notifications 2>/dev/null | grep -q "boolean true"
  }
  start_dunst () {
    env -u G_DEBUG dunst -config "$tmp/dunstrc" >>"$tmp/dunst.log" 2>&1 &
    dunst=$!
    wait_for has_server "dunst to own the name"
  }
  child () { # RECORD
    sqlite3 -cmd ".timeout 5000" "$db" "INSERT INTO custody_event (record_id, type, occurred_at, data) VALUES
      ('\''$1'\'', '\''arrival'\'', '\''$an_hour_ago'\'', '\''{\"suite\":\"North\",\"child\":\"C-$1\",\"appears_under_18\":true}'\'');"
  }
  records () { sqlite3 -cmd ".timeout 5000" "$db" "SELECT count(*) FROM escalation"; }
  shown () { grep -c "^ *string \"NR-.: Appropriate adult called — missed\"" "$tmp/notify-calls.txt" || true; }

  dbus-monitor --session "type='\''method_call'\'',interface='\''org.freedesktop.Notifications'\'',member='\''Notify'\''" \
    >"$tmp/notify-calls.txt" 2>&1 &
  monitor=$!

  # 1. No server: the records are written, the notices owed.
  "$CUSTODY_CLOCK_BIN" init --db "$db" >/dev/null
  "$CUSTODY_CLOCKD_BIN" --db "$db" --policy "$tmp/policy.ini" --agent-id e2e-restart >"$log" 2>&1 &
  agent=$!
  wait_for "grep -q Ready \"\$log\"" "the agent to start"
  child NR-A
  child NR-B
  wait_for "[ \"\$(records)\" -ge 2 ] && grep -q \"No notification server\" \"\$log\"" "the records, with no server"
  sleep 0.5
  shown >"$tmp/shown-1.txt"

  # 2. A server appears: what is owed is shown, once.
  t0=$(date +%s%N)
  start_dunst
  wait_for "[ \"\$(shown)\" -ge 2 ]" "the owed notices"
  echo $(( ($(date +%s%N) - t0) / 1000000 )) >"$tmp/owed-ms.txt"
  sleep 1
  shown >"$tmp/shown-2.txt"
  dunstctl count history >"$tmp/dunst1-history.txt" 2>/dev/null || true
  dunstctl count displayed >"$tmp/dunst1-displayed.txt" 2>/dev/null || true

  # 3. The server dies; a breach comes while it is away.
  kill -KILL $dunst
  wait $dunst 2>/dev/null || true
  wait_for "! has_server" "dunst to be gone"
  child NR-C
  wait_for "[ \"\$(records)\" -ge 3 ]" "the third record"
  sleep 0.5
  shown >"$tmp/shown-3.txt"

  # 4. It comes back: the third is shown, the first two are not again.
  start_dunst
  wait_for "[ \"\$(shown)\" -ge 3 ]" "the notice owed during the restart"
  sleep 1
  child NR-D
  wait_for "[ \"\$(shown)\" -ge 4 ]" "a new breach after the restart"
  sleep 1
  shown >"$tmp/shown-4.txt"
  dunstctl count displayed >"$tmp/dunst2-displayed.txt" 2>/dev/null || true
  dunstctl history >"$tmp/dunst2-history.json" 2>/dev/null || true

  kill -TERM $agent
  wait $agent && echo 0 >"$tmp/agent.exit" || echo $? >"$tmp/agent.exit"
  kill $dunst $monitor 2>/dev/null || true
'

fail=0
check () { if eval "$1"; then echo "ok - $2"; else echo "not ok - $2"; fail=1; fi; }
count () { grep -c "^ *string \"$1: Appropriate adult called — missed\"" "$tmp/notify-calls.txt" || true; }

check '[ ! -e "$tmp/timeouts" ]' "every step happened in time"
check '[ "$(cat "$tmp/shown-1.txt")" = 0 ]' "with no server, nothing is sent"
check '[ "$(grep -c "No notification server" "$tmp/agent.log")" = 2 ]' "the agent says so once per absence"
check 'grep -q "Notification server available: showing 2 owed" "$tmp/agent.log"' "the owed notices are sent when the server appears"
check '[ "$(cat "$tmp/shown-2.txt")" = 2 ]' "two notices for two breaches"
check '[ "$(cat "$tmp/shown-3.txt")" = 2 ]' "the breach while the server is away is owed, not lost"
check '[ "$(count NR-A)" = 1 ] && [ "$(count NR-B)" = 1 ]' "the first two were sent exactly once, restart or not"
check '[ "$(count NR-C)" = 1 ]' "the notice owed over the restart was sent once"
check '[ "$(count NR-D)" = 1 ]' "a breach after the restart is sent once"
check '[ "$(cat "$tmp/dunst2-displayed.txt")" = 2 ]' "the restarted dunst shows only the two new ones"
check '! grep -q "NR-A\|NR-B" "$tmp/dunst2-history.json"' "… and not the ones the first dunst showed"
check '[ "$(sqlite3 -cmd ".timeout 5000" "$db" "SELECT count(*) FROM escalation")" = 4 ]' "four escalation records, one per breach"
check 'grep -q "^0\$" "$tmp/agent.exit"' "the agent stops cleanly"
echo "# server start to owed notices sent: $(cat "$tmp/owed-ms.txt" 2>/dev/null) ms"
if [ $fail != 0 ]; then
  [ -e "$tmp/timeouts" ] && sed 's/^/# /' "$tmp/timeouts"
  echo "# agent log:"; sed 's/^/# /' "$tmp/agent.log"
  echo "# dunst log:"; sed 's/^/# /' "$tmp/dunst.log"
  echo "# notify calls:"; grep "string \"NR-" "$tmp/notify-calls.txt" | sed 's/^/# /'
fi
exit $fail
