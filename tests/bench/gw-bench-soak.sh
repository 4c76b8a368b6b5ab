#!/bin/sh
# gw-bench-soak.sh — memory of the running wall over a simulated day.
#
# Runs `gridwatch --demo` (the simulator at 60x: 24 min of wall time is 24 h of cases)
# and samples VmRSS of the app (not the demo server) every INTERVAL seconds. Prints the
# RSS at the end of the warm-up, the final RSS and the largest deviation from the
# warm-up RSS afterwards. Target: flat within 10 % after warm-up.
#
# Needs a display and a session bus:
#   dbus-run-session -- xvfb-run -a -s "-screen 0 1920x1080x24" \
#     meson test -C _build --benchmark --suite bench soak -v
# or directly:
#   dbus-run-session -- xvfb-run -a -s "-screen 0 1920x1080x24" \
#     tests/bench/gw-bench-soak.sh _build/src/gridwatch
#
# Environment: GW_SOAK_SECONDS (1500), GW_SOAK_INTERVAL (30), GW_SOAK_WARMUP (300),
# GW_SOAK_ARGS (extra arguments for gridwatch, e.g. --wall).

set -u

gridwatch=${1:-${GW_GRIDWATCH:-}}
if [ -z "$gridwatch" ] || [ ! -x "$gridwatch" ]; then
  echo "usage: $0 PATH/TO/gridwatch (or set GW_GRIDWATCH)" >&2
  exit 2
fi
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "no display: run under xvfb-run" >&2
  exit 77
fi

seconds=${GW_SOAK_SECONDS:-1500}
interval=${GW_SOAK_INTERVAL:-30}
warmup=${GW_SOAK_WARMUP:-300}

# A private cache and settings so the run starts from nothing and leaves nothing.
scratch=$(mktemp -d)
export XDG_CACHE_HOME="$scratch/cache" XDG_DATA_HOME="$scratch/data"
export XDG_CONFIG_HOME="$scratch/config"
export GSETTINGS_BACKEND=memory

# shellcheck disable=SC2086
"$gridwatch" --demo ${GW_SOAK_ARGS:-} >"$scratch/gridwatch.log" 2>&1 &
pid=$!

cleanup () {
  kill "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  rm -rf "$scratch"
}
trap cleanup EXIT INT TERM

rss_kib () {
  awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null
}

echo "# soak: $gridwatch --demo ${GW_SOAK_ARGS:-} for ${seconds} s, sample every ${interval} s, warm-up ${warmup} s"
echo "# elapsed_s rss_kib"
elapsed=0
base=""
max_dev=0
max_rss=0
final=""
while [ "$elapsed" -le "$seconds" ]; do
  rss=$(rss_kib "$pid")
  if [ -z "$rss" ]; then
    echo "gridwatch exited after ${elapsed} s; its log:" >&2
    cat "$scratch/gridwatch.log" >&2
    exit 1
  fi
  echo "$elapsed $rss"
  final=$rss
  if [ "$elapsed" -ge "$warmup" ]; then
    [ -z "$base" ] && base=$rss
    dev=$(( rss > base ? rss - base : base - rss ))
    [ "$dev" -gt "$max_dev" ] && max_dev=$dev
    [ "$rss" -gt "$max_rss" ] && max_rss=$rss
  fi
  sleep "$interval"
  elapsed=$(( elapsed + interval ))
done

if [ -z "$base" ]; then
  echo "the run was shorter than the warm-up" >&2
  exit 1
fi
pct=$(awk -v d="$max_dev" -v b="$base" 'BEGIN { printf "%.1f", 100 * d / b }')
drift=$(awk -v f="$final" -v b="$base" 'BEGIN { printf "%+.1f", 100 * (f - b) / b }')
echo "warm-up RSS (at ${warmup} s): $((base / 1024)) MiB ($base KiB)"
echo "final RSS (at $((elapsed - interval)) s): $((final / 1024)) MiB ($final KiB), ${drift} %"
echo "max RSS after warm-up: $((max_rss / 1024)) MiB"
echo "max deviation after warm-up: $((max_dev / 1024)) MiB (${pct} %)"
if awk -v p="$pct" 'BEGIN { exit !(p > 10) }'; then
  echo "NOT flat: more than 10 % from the warm-up RSS"
  exit 1
fi
echo "flat within 10 %"
