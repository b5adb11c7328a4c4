#!/bin/sh
# End to end on a real desktop: a private session bus, Xvfb, the real dunst
# notification daemon, custody-clockd on a temporary database, and the
# sqlite3 program inserting rows with plain SQL as a custody system would.
# Checks what dunst showed (urgency and text) and what the database holds,
# and keeps a screenshot of the screen in $ARTEFACTS.
#
# Exit 77 (meson: skipped) only when the desktop tools are not installed;
# build-aux/check installs them, so in CI this runs.
set -eu
. "$(dirname "$0")/e2e-lib.sh"

e2e_require Xvfb dunst dunstctl dbus-run-session dbus-send dbus-monitor sqlite3 xwd xwdtopnm pnmtopng
: "${CUSTODY_CLOCK_BIN:?}" "${CUSTODY_CLOCKD_BIN:?}"
artefacts=${ARTEFACTS:-$(pwd)/artefacts}
mkdir -p "$artefacts"

tmp=$(mktemp -d)
cleanup () {
  [ -n "${xvfb:-}" ] && kill "$xvfb" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

e2e_start_xvfb 1024x600

cat >"$tmp/dunstrc" <<EOT
[global]
    font = Monospace 10
    width = 600
    origin = top-right
    offset = 10x10
    format = "<b>%s</b>\n%b"
EOT

db="$tmp/custody.db"
cat >"$tmp/policy.ini" <<EOT
[cell_visit]
enabled=false
[rest]
enabled=false
EOT

an_hour_ago=$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)
export tmp db an_hour_ago artefacts
dbus-run-session -- sh -eu -c '
  # The tests make GLib warnings fatal for our programs; dunst is not ours,
  # and warns about missing icon themes on a bare machine.
  env -u G_DEBUG dunst -config "$tmp/dunstrc" >"$tmp/dunst.log" 2>&1 &
  dunst=$!
  # Wait for our dunst to own the name without calling it: a call would
  # have the bus start another dunst, with the default configuration.
  i=0
  until dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
          org.freedesktop.DBus.NameHasOwner string:org.freedesktop.Notifications 2>/dev/null | grep -q "boolean true"; do
    i=$((i + 1)); [ $i -gt 100 ] && { echo "not ok: dunst did not start"; cat "$tmp/dunst.log"; exit 1; }
    sleep 0.1
  done

  # What the agent says to the notification server, urgency hint included.
  dbus-monitor --session "type='\''method_call'\'',interface='\''org.freedesktop.Notifications'\'',member='\''Notify'\''" \
    >"$tmp/notify-calls.txt" 2>&1 &
  monitor=$!

  # RECORD CHILD DOB: a child who arrived an hour ago, welfare informed and
  # seen by healthcare, no appropriate adult called: written with plain
  # SQL, as a custody system commits it, waiting for the lock as any writer
  # sharing an SQLite database must (the agent writes to the same file).
  commit_child () {
    sqlite3 -cmd ".timeout 5000" "$db" "INSERT INTO custody_event (record_id, type, occurred_at, data) VALUES
      ('\''$1'\'', '\''arrival'\'', '\''$an_hour_ago'\'', '\''{\"suite\":\"North\",\"child\":\"$2\",\"dob\":\"$3\"}'\''),
      ('\''$1'\'', '\''welfare_informed'\'', '\''$an_hour_ago'\'', '\''{}'\''),
      ('\''$1'\'', '\''hcp_seen'\'', '\''$an_hour_ago'\'', '\''{}'\'');"
  }

  "$CUSTODY_CLOCK_BIN" init --db "$db" >/dev/null
  "$CUSTODY_CLOCKD_BIN" --db "$db" --policy "$tmp/policy.ini" --agent-id e2e >"$tmp/agent.log" 2>&1 &
  agent=$!
  i=0
  until grep -q Watching "$tmp/agent.log"; do
    i=$((i + 1)); [ $i -gt 100 ] && { echo "not ok: the agent did not start"; cat "$tmp/agent.log"; exit 1; }
    sleep 0.1
  done

  # A custody system commits a child waiting an hour for an AA to be called.
  commit_child E2E-0001 C-E2E 2010-02-03

  i=0
  until [ "$(dunstctl count displayed)" -ge 1 ] 2>/dev/null; do
    i=$((i + 1)); [ $i -gt 100 ] && { echo "not ok: nothing was shown"; cat "$tmp/agent.log"; exit 1; }
    sleep 0.1
  done
  sleep 0.5   # let dunst draw before the picture is taken
  xwd -root -silent | xwdtopnm 2>/dev/null | pnmtopng >"$artefacts/desktop-notification.png"
  dunstctl close-all
  sleep 0.2
  dunstctl history >"$tmp/history.json"
  cp "$tmp/history.json" "$artefacts/dunst-history.json"

  cp "$tmp/dunst.log" "$artefacts/dunst.log"
  kill -TERM $agent
  wait $agent
  echo "agent exit: $?" >"$tmp/agent.exit"

  # A Welsh desk on the same desktop: the session speaks Welsh, and so do
  # the notifications of its agent.
  LANGUAGE=cy "$CUSTODY_CLOCKD_BIN" --db "$db" --policy "$tmp/policy.ini" --agent-id e2e-cy >"$tmp/agent-cy.log" 2>&1 &
  agent=$!
  # Its first line names the database, in Welsh.
  i=0
  until grep -qF "$db" "$tmp/agent-cy.log"; do
    i=$((i + 1)); [ $i -gt 100 ] && { echo "not ok: the Welsh agent did not start"; cat "$tmp/agent-cy.log"; exit 1; }
    sleep 0.1
  done
  commit_child E2E-0002 C-E2F 2010-04-05
  i=0
  until grep -q "E2E-0002" "$tmp/notify-calls.txt"; do
    i=$((i + 1)); [ $i -gt 100 ] && { echo "not ok: nothing was shown for the Welsh desk"; cat "$tmp/agent-cy.log"; break; }
    sleep 0.1
  done
  sleep 0.5
  xwd -root -silent | xwdtopnm 2>/dev/null | pnmtopng >"$artefacts/desktop-notification-cy.png"
  dunstctl close-all
  sleep 0.2
  dunstctl history >"$tmp/history-cy.json"
  cp "$tmp/history-cy.json" "$artefacts/dunst-history-cy.json"
  kill -TERM $agent
  wait $agent || true

  # The README'"'"'s first command on this desktop: the demonstration'"'"'s agent
  # uses the real notification server.
  if TMPDIR="$tmp" "$CUSTODY_CLOCK_BIN" demo --speed 20000 >"$tmp/demo.out" 2>&1; then
    echo "demo exit: 0" >"$tmp/demo.exit"
  else
    echo "demo exit: $?" >"$tmp/demo.exit"
  fi
  cp "$tmp/demo.out" "$artefacts/demo.out"
  kill $dunst $monitor 2>/dev/null || true
'

fail=0
check () { if eval "$1"; then echo "ok - $2"; else echo "not ok - $2"; fail=1; fi; }

check 'grep -q "E2E-0001: Appropriate adult called — missed" "$tmp/history.json"' "dunst showed the breach with the record number and the duty"
check 'grep -A1 "string \"urgency\"" "$tmp/notify-calls.txt" | grep -q "byte 2"' "a breach is sent with critical urgency"
check 'grep -q "string \"acknowledge\"" "$tmp/notify-calls.txt"' "dunst supports actions, so the notification offers Acknowledge"
check '! grep -q "2010-02-03" "$tmp/history.json"' "no date of birth in what was shown"
check 'grep -q "Custody Clock" "$tmp/history.json"' "the notification names the application"
check '[ "$(sqlite3 -cmd ".timeout 5000" "$db" "SELECT count(*) FROM escalation WHERE record_id = '"'"'E2E-0001'"'"' AND rule = '"'"'aa_requested'"'"' AND level = '"'"'sergeant'"'"'")" = 1 ]' "one escalation record, at sergeant level"
check '[ "$(sqlite3 -cmd ".timeout 5000" "$db" "SELECT late FROM escalation WHERE record_id = '"'"'E2E-0001'"'"' AND rule = '"'"'aa_requested'"'"'")" = 1 ]' "written after the breach it reports, so marked late"
check 'grep -q "agent exit: 0" "$tmp/agent.exit"' "the agent stops cleanly on SIGTERM"
check '[ -s "$artefacts/desktop-notification.png" ]' "a screenshot of the notification is kept"
check 'grep -q "E2E-0002: Galwyd oedolyn priodol" "$tmp/history-cy.json"' "the Welsh desk's agent showed the breach in Welsh"
check '! grep "E2E-0002" "$tmp/history-cy.json" | grep -qi "appropriate adult"' "no English in the Welsh desk's notification"
check '! grep -q "2010-04-05" "$tmp/history-cy.json"' "no date of birth in the Welsh notification"
check 'grep -q "demo exit: 0" "$tmp/demo.exit"' "the demonstration runs on the desktop and ends by itself"
check 'grep -q "appear on your desktop" "$tmp/demo.out"' "the demonstration finds the notification server"
check 'grep -q "WI-SWN-22-0101: Appropriate adult arrived" "$tmp/notify-calls.txt"' "the agent of the demonstration raised real notifications"
if [ $fail != 0 ]; then
  echo "# dunst log:"; sed 's/^/# /' "$tmp/dunst.log"
  echo "# agent log:"; sed 's/^/# /' "$tmp/agent.log"
  echo "# dunst history:"; sed 's/^/# /' "$tmp/history.json"
  echo "# demo:"; tail -n 40 "$tmp/demo.out" | sed 's/^/# /'
fi
exit $fail
