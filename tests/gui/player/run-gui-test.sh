#!/bin/sh
# run-gui-test.sh — runs one GUI test program in an X server of its own
# (Xvfb through xvfb-run) inside a private D-Bus session, with GTK set up
# as measured in PLATFORM.md: the cairo renderer, no accessibility bus, and
# a throwaway HOME/XDG_* (GStreamer, Mesa and dconf write caches there).
# Exit status and TAP output are the program's.
set -u

for tool in dbus-run-session xvfb-run; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "1..0 # SKIP $tool is not installed (packages dbus, xvfb, xauth)"
    exit 0
  fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tandem-gui-XXXXXX") || exit 99
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 143' INT TERM

export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/config" XDG_CACHE_HOME="$tmp/cache"
export XDG_DATA_HOME="$tmp/data" XDG_STATE_HOME="$tmp/state" XDG_RUNTIME_DIR="$tmp/run"
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_DATA_HOME" "$XDG_STATE_HOME"
mkdir -m 700 "$XDG_RUNTIME_DIR"
export GSK_RENDERER="${GSK_RENDERER:-cairo}" GTK_A11Y=none NO_AT_BRIDGE=1 GDK_BACKEND=x11

# xvfb-run -a picks the first free display from -n on; starting at a
# random number keeps parallel test programs from racing for the same one.
server=$(( 100 + $(od -An -N2 -tu2 /dev/urandom) % 800 ))
dbus-run-session -- xvfb-run -a -n "$server" -s "-screen 0 1280x900x24 -nolisten tcp" "$@"
