# e2e-lib.sh: what the end-to-end scripts share.  Sourced, not run:
#   . "$(dirname "$0")/e2e-lib.sh"

# Exit 77 (meson: skipped) unless every tool named is installed.
e2e_require () {
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || { echo "# skip: $tool is not installed"; exit 77; }
  done
}

# e2e_start_xvfb WIDTHxHEIGHT: Xvfb on a free display, logging to
# $tmp/xvfb.log.  Sets $xvfb (its pid, for the caller's cleanup), exports
# DISPLAY, and returns once the screen answers.
e2e_start_xvfb () {
  n=90
  while [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ]; do n=$((n + 1)); done
  Xvfb ":$n" -screen 0 "${1}x24" -nolisten tcp >"$tmp/xvfb.log" 2>&1 &
  xvfb=$!
  export DISPLAY=":$n"
  i=0
  while ! xwd -root -silent >/dev/null 2>&1; do
    i=$((i + 1)); [ $i -gt 100 ] && { echo "not ok: Xvfb did not start"; cat "$tmp/xvfb.log"; exit 1; }
    sleep 0.1
  done
}
