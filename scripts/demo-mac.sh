#!/usr/bin/env bash
# The demo on a Mac (started by scripts/demo.sh): the same sandbox iMac in ./demo-root and the same
# transcript as on Linux (scripts/demo-lib.sh), but the drive is a real disk image: a small APFS
# image made with hdiutil and attached at demo-root/Volumes/Archive 2TB, so the real diskutil
# reports its format and volume UUID, and the real mount, ditto and sw_vers are used. What would
# touch this Mac's own set-up stays simulated: sudo and dscl (the demo's users do not exist here),
# pgrep (Photos may really be running), tmutil, sharing, launchctl, osascript, defaults. The machine
# is named with --machine (this Mac's own name is not the demo's). NOT RUN IN CI: no Mac there.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"
ROOT="$REPO/demo-root"
DRIVE="$ROOT/Volumes/Archive 2TB"
IMAGE="$ROOT/.archive.dmg"
# shellcheck source=demo-lib.sh
. "$REPO/scripts/demo-lib.sh"

[ -f dist/cli/main.js ] || { echo "demo: run 'npm run build' first (npm run demo does)" >&2; exit 1; }
# An image left attached by an interrupted demo goes first.
[ -d "$DRIVE" ] && hdiutil detach -quiet "$DRIVE" 2>/dev/null || true
rm -rf "$ROOT"
mkdir -p "$DRIVE"
demo_household "$ROOT"

# The simulators of what must stay untouched, and only those, before the real tools on PATH.
SIMS="$ROOT/.sim-bin"
mkdir -p "$SIMS"
for tool in sudo dscl pgrep tmutil sharing launchctl osascript defaults scutil; do ln -s "$REPO/sim/bin/$tool" "$SIMS/$tool"; done
node -e 'process.stdout.write(JSON.stringify({ scutil: { ComputerName: "iMac", LocalHostName: "iMac" }, sudo: { users: { alex: 501, sam: 502 } } }) + "\n")' >"$ROOT/.mac-state.json"

hdiutil create -quiet -size 256m -fs APFS -volname "Archive 2TB" "$IMAGE"
attached=1
cleanup() { if [ "$attached" = 1 ]; then hdiutil detach -quiet "$DRIVE" || true; fi; }
trap cleanup EXIT
hdiutil attach -quiet -nobrowse -mountpoint "$DRIVE" "$IMAGE"

export PATH="$SIMS:$PATH" PROVISION_SIM_STATE="$ROOT/.mac-state.json" NO_COLOR="${NO_COLOR:-}"
provision() {
  case "${1:-}" in
    validate) node "$REPO/bin/provision.js" "$@" ;;
    apply) if [ -f "${2:-}" ]; then node "$REPO/bin/provision.js" "$@"; else node "$REPO/bin/provision.js" "$@" --machine imac; fi ;;
    *) node "$REPO/bin/provision.js" "$@" --machine imac ;;
  esac
}

ALSO="--machine imac is added to each command (this Mac is not the demo's iMac); the drive is a real APFS disk image"
UNPLUG_SHOWN='hdiutil detach "demo-root/Volumes/Archive 2TB"'
unplug() { hdiutil detach -quiet "$DRIVE" && attached=0; }
demo_transcript
printf '\nDemo done. The sandbox machine is in ./demo-root (its drive image, detached, is demo-root/.archive.dmg).\n'
