#!/usr/bin/env bash
# The demo: a sandbox Mac (an iMac shared by Alex and Sam) in ./demo-root on this Linux box, with
# its external drive a real tmpfs mounted in a private mount namespace. It validates the demo
# declaration (backups.yaml), plans, applies, and plans again to show that nothing is left to do.
# Needs: Node 20+, `npm run build` done, and unshare (util-linux) with user namespaces allowed.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"
ROOT="$REPO/demo-root"
DRIVE="$ROOT/Volumes/Archive 2TB"

say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }

if [ -z "${PROVISION_DEMO_INSIDE:-}" ]; then
  command -v unshare >/dev/null || { echo "demo: needs unshare (Debian/Ubuntu: apt-get install util-linux)" >&2; exit 1; }
  [ -f dist/cli/main.js ] || { echo "demo: run 'npm run build' first (npm run demo does)" >&2; exit 1; }
  rm -rf "$ROOT"
  # Alex has backed up an iPhone and an iPad on the iMac; Sam never has.
  backup() { # home udid device-name files product-type ios-version days-since-last-backup
    local dir="$1/Library/Application Support/MobileSync/Backup/$2"
    mkdir -p "$dir"
    local last
    last=$(date -u -d "$7 days ago" +%Y-%m-%dT%H:%M:%SZ)
    printf '<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict><key>Device Name</key><string>%s</string><key>Last Backup Date</key><date>%s</date><key>Product Type</key><string>%s</string><key>Product Version</key><string>%s</string><key>Unique Identifier</key><string>%s</string></dict></plist>\n' "$3" "$last" "$5" "$6" "$2" >"$dir/Info.plist"
    head -c 4096 /dev/zero >"$dir/Manifest.db"
    local i id
    for i in $(seq 1 "$4"); do
      id=$(printf '%s-%s' "$2" "$i" | sha1sum | cut -c1-40)
      mkdir -p "$dir/${id:0:2}"
      head -c $((i * 1500)) /dev/urandom >"$dir/${id:0:2}/$id"
    done
  }
  # A photo library in the layout Photos or iPhoto uses (the database is only a stand-in here).
  library() { # package kind photos
    local lib="$1" i
    if [ "$2" = photos ]; then
      mkdir -p "$lib/database" "$lib/originals/0" "$lib/resources/derivatives/0" "$lib/private"
      printf 'SQLite format 3\0' >"$lib/database/Photos.sqlite"
      for i in $(seq 1 "$3"); do head -c $((i * 3000)) /dev/urandom >"$lib/originals/0/IMG_$i.jpeg"; done
    else
      mkdir -p "$lib/Masters/2009/07/14"
      printf '<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict/></plist>\n' >"$lib/AlbumData.xml"
      for i in $(seq 1 "$3"); do head -c $((i * 3000)) /dev/urandom >"$lib/Masters/2009/07/14/IMG_$i.JPG"; done
    fi
  }
  mkdir -p "$ROOT/Users/alex/Library/Application Support" "$ROOT/Users/sam/Library" "$ROOT/Users/alex/Pictures" "$ROOT/Users/sam/Pictures" "$DRIVE"
  backup "$ROOT/Users/alex" 00008030-00125C2E0287C02E "Alex's iPhone" 60 iPhone12,1 17.5 1
  backup "$ROOT/Users/alex" 3d0d7e5fb2ce288813306e4d4636395e047a3d28 "Alex's iPad" 40 iPad7,5 16.7 94   # three months without a backup
  library "$ROOT/Users/alex/Pictures/Photos Library.photoslibrary" photos 30
  library "$ROOT/Users/sam/Pictures/iPhoto Library.photolibrary" iphoto 20
  mkdir -p "$ROOT/Users/alex/Music/iTunes/iTunes Media/Music/Artist/Album"
  head -c 2048 /dev/urandom >"$ROOT/Users/alex/Music/iTunes/iTunes Library.itl"
  head -c 40000 /dev/urandom >"$ROOT/Users/alex/Music/iTunes/iTunes Media/Music/Artist/Album/01 Track.m4a"
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

say provision validate "                        # finds ./backups.yaml"
provision validate
say provision status --root demo-root          "# what is where now; the machine is found by its name, iMac (simulated scutil)"
provision status --root "$ROOT" | sed "s#$ROOT#demo-root#g"
say provision plan --root demo-root --out demo-root/tonight.plan   "# saved, with a fingerprint of what it saw"
provision plan --root "$ROOT" --out "$ROOT/tonight.plan" 2> >(sed "s#$ROOT#demo-root#g" >&2)
say provision apply demo-root/tonight.plan     "# exactly the plan reviewed, or refused if anything changed"
provision apply "$ROOT/tonight.plan"
say provision plan --root demo-root --detailed-exitcode
provision plan --root "$ROOT" --detailed-exitcode
say ls -l "demo-root/Users/*/Library/Application Support/MobileSync"
ls -l "$ROOT/Users/alex/Library/Application Support/MobileSync" "$ROOT/Users/sam/Library/Application Support/MobileSync" | sed "s#$ROOT#demo-root#g"
say ls -la "demo-root/Volumes/Archive 2TB/MobileSync/*"
ls -la "$DRIVE/MobileSync/alex" "$DRIVE/MobileSync/sam" | sed "s#$ROOT#demo-root#g"
say ls -l "demo-root/Users/*/Pictures" "demo-root/Users/alex/Music"
ls -l "$ROOT/Users/alex/Pictures" "$ROOT/Users/sam/Pictures" "$ROOT/Users/alex/Music" | sed "s#$ROOT#demo-root#g"
say provision status --root demo-root          "# the photo libraries' originals are kept until their owners have opened the moved ones"
provision status --root "$ROOT" | sed "s#$ROOT#demo-root#g"
say provision confirm-library --root demo-root "# alex and sam opened their libraries from the drive (Photos, Option held)"
provision confirm-library --root "$ROOT" | sed "s#$ROOT#demo-root#g"
say provision apply --root demo-root --yes     "# only now are the kept originals removed, after checking the drive again"
provision apply --root "$ROOT" --yes
say ls -l "demo-root/Users/*/Pictures"
ls -l "$ROOT/Users/alex/Pictures" "$ROOT/Users/sam/Pictures" | sed "s#$ROOT#demo-root#g"
say provision check --root demo-root           "# the health of the backups; exit 3: a problem (the iPad) and a warning (the only copy)"
provision check --root "$ROOT" | sed "s#$ROOT#demo-root#g" || [ "${PIPESTATUS[0]}" = 3 ]
say umount "demo-root/Volumes/Archive 2TB" "&&" provision plan --root demo-root   "# the drive unplugged"
umount "$DRIVE" && rmdir "$DRIVE"
provision plan --root "$ROOT" || true
say provision status --root demo-root
provision status --root "$ROOT" | sed "s#$ROOT#demo-root#g"
printf '\nDemo done. The sandbox machine is in ./demo-root (the drive was a tmpfs and is gone with the demo).\n'
