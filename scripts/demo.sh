#!/usr/bin/env bash
# The demo: a sandbox Mac (an iMac shared by Alex and Sam) in ./demo-root on this Linux box, with
# its external drive a real tmpfs mounted in a private mount namespace. It validates the demo
# declaration (backups.yaml), plans, applies, and plans again to show that nothing is left to do.
# Needs: Node 22+, `npm run build` done, and unshare (util-linux) with user namespaces allowed.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"
ROOT="$REPO/demo-root"
DRIVE="$ROOT/Volumes/Archive 2TB"

# shellcheck source=demo-lib.sh
. "$REPO/scripts/demo-lib.sh"

# On a Mac the drive is a real disk image and the real diskutil answers (scripts/demo-mac.sh).
if [ "$(uname -s)" = Darwin ]; then exec bash "$REPO/scripts/demo-mac.sh"; fi

if [ -z "${PROVISION_DEMO_INSIDE:-}" ]; then
  command -v unshare >/dev/null || { echo "demo: needs unshare (Debian/Ubuntu: apt-get install util-linux)" >&2; exit 1; }
  [ -f dist/cli/main.js ] || { echo "demo: run 'npm run build' first (npm run demo does)" >&2; exit 1; }
  rm -rf "$ROOT"
  mkdir -p "$DRIVE"
  demo_household "$ROOT"
  # The simulated Mac: its name, the drive as APFS (photo libraries need a Mac format), and the
  # accounts that sudo -u knows (iPhoto's preference is written as the user it belongs to).
  DRIVE="$DRIVE" node -e '
    const drive = process.env.DRIVE;
    const state = {
      scutil: { ComputerName: "iMac", LocalHostName: "iMac" },
      diskutil: { volumes: { [drive]: { VolumeName: "Archive 2TB", FilesystemType: "apfs" } } },
      sudo: { users: { alex: 501, sam: 502 } },
    };
    process.stdout.write(JSON.stringify(state) + "\n");' >"$ROOT/.mac-state.json"
  exec unshare --user --map-root-user --mount env PROVISION_DEMO_INSIDE=1 bash "$0"
fi

# Inside the private mount namespace: plug the drive in.
mount -t tmpfs -o size=256m,mode=0755 tmpfs "$DRIVE"
export PATH="$REPO/sim/bin:$PATH" PROVISION_SIM_STATE="$ROOT/.mac-state.json" NO_COLOR="${NO_COLOR:-}"
provision() { node "$REPO/bin/provision.js" "$@"; }

ALSO="the machine is found by its name, iMac (simulated scutil)"
UNPLUG_SHOWN='umount "demo-root/Volumes/Archive 2TB"'
unplug() { umount "$DRIVE" && rmdir "$DRIVE"; }
demo_transcript
printf '\nDemo done. The sandbox machine is in ./demo-root (the drive was a tmpfs and is gone with the demo).\n'
