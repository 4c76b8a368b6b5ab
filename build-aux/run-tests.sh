#!/bin/sh
# Installs what is missing, builds, and runs the whole test suite: the README's test command.
# Set GW_SANITIZE=1 to build and test with AddressSanitizer and UndefinedBehaviorSanitizer.
set -eu
cd "$(dirname "$0")/.."
./build-aux/install-deps.sh

builddir=${GW_BUILDDIR:-_build}
opts=""
if [ "${GW_SANITIZE:-0}" = 1 ]; then
  builddir=${GW_BUILDDIR:-_build-sanitize}
  opts="-Dsanitize=true -Db_lundef=false"
fi

if [ -d "$builddir" ]; then
  # shellcheck disable=SC2086
  meson setup --reconfigure "$builddir" $opts
else
  # shellcheck disable=SC2086
  meson setup "$builddir" $opts
fi
meson compile -C "$builddir"
# UI tests need a display and a session bus; both come from here.
exec dbus-run-session -- xvfb-run -a -s "-screen 0 1920x1080x24" \
  meson test -C "$builddir" --print-errorlogs --num-processes 2
