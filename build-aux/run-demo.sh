#!/bin/sh
# Installs what is missing, builds, and runs the demo: the README's demo command.
set -eu
cd "$(dirname "$0")/.."
./build-aux/install-deps.sh
builddir=${GW_BUILDDIR:-_build}
[ -d "$builddir" ] || meson setup "$builddir"
meson compile -C "$builddir"
if [ -x "$builddir/src/gridwatch" ]; then
  exec "$builddir/src/gridwatch" --demo "$@"
fi
# Until the window exists the demo is the dispatch server with its simulator.
exec "$builddir/src/gridwatch-dispatchd" --simulate --speed 60 --history-days 7 \
  --db "${XDG_RUNTIME_DIR:-/tmp}/gridwatch-demo.db" "$@"
