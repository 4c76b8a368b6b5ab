#!/bin/sh
# Installs every Debian 12 package Gridwatch needs to build, run, test and fuzz.
# Idempotent; works as root or through sudo.
set -eu

# The last line is for alert sounds: GtkMediaFile plays them through GTK's GStreamer
# backend (playbin from -base, wavparse and autoaudiosink from -good).
PACKAGES="
  meson ninja-build pkg-config gcc clang libclang-rt-14-dev gettext
  libglib2.0-dev libglib2.0-bin libjson-glib-dev libsoup-3.0-dev libsqlite3-dev
  libgtk-4-dev libadwaita-1-dev libshumate-dev libsecret-1-dev
  desktop-file-utils appstream
  xvfb xauth dbus dbus-x11 fonts-noto-cjk imagemagick python3 openssl poppler-utils tzdata
  libgtk-4-media-gstreamer gstreamer1.0-plugins-base gstreamer1.0-plugins-good
"

if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi

missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done

if [ -z "$missing" ]; then
  echo "install-deps: all packages present"
  exit 0
fi

echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
