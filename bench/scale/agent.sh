#!/bin/bash
D=/work/wt/scale/_build-rel/src/agent/custody-clockd
cd /tmp/scale
run () { # label
  s=$(date +%s%N)
  $D --db agent.db --no-notify --agent-id bench --policy /tmp/scale/agent.ini > agent.$1.log 2>&1 &
  pid=$!
  until grep -q Ready agent.$1.log 2>/dev/null; do sleep 0.02; done
  e=$(date +%s%N)
  echo "$1 ready_ms=$(( (e-s)/1000000 )) hwm_kb=$(awk '/VmHWM/ {print $2}' /proc/$pid/status) rss_kb=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)"
  kill -TERM $pid; wait $pid
}
run first; run restart1; run restart2; run restart3
