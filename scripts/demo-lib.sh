# Shared by the demo on Linux (scripts/demo.sh) and on a Mac (scripts/demo-mac.sh): the household's
# files before provision runs, and the transcript itself. Sourced, never run. Portable between GNU
# and BSD tools: no `date -d` (dates come from node), sha1sum on Linux and shasum on a Mac.

sha1() { if command -v sha1sum >/dev/null; then sha1sum; else shasum -a 1; fi; }

say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }

# Alex has backed up an iPhone and an iPad on the iMac; Sam never has.
demo_backup() { # home udid device-name files product-type ios-version days-since-last-backup
  local dir="$1/Library/Application Support/MobileSync/Backup/$2"
  mkdir -p "$dir"
  local last
  last=$(node -e 'process.stdout.write(new Date(Date.now() - Number(process.argv[1]) * 864e5).toISOString().replace(/\.\d+Z$/, "Z"))' "$7")
  printf '<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict><key>Device Name</key><string>%s</string><key>Last Backup Date</key><date>%s</date><key>Product Type</key><string>%s</string><key>Product Version</key><string>%s</string><key>Unique Identifier</key><string>%s</string></dict></plist>\n' "$3" "$last" "$5" "$6" "$2" >"$dir/Info.plist"
  head -c 4096 /dev/zero >"$dir/Manifest.db"
  local i id
  for i in $(seq 1 "$4"); do
    id=$(printf '%s-%s' "$2" "$i" | sha1 | cut -c1-40)
    mkdir -p "$dir/${id:0:2}"
    head -c $((i * 1500)) /dev/urandom >"$dir/${id:0:2}/$id"
  done
}

# A photo library in the layout Photos or iPhoto uses (the database is only a stand-in here).
demo_library() { # package kind photos
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

# The sandbox iMac's homes under $1.
demo_household() { # root
  local root="$1"
  mkdir -p "$root/Users/alex/Library/Application Support" "$root/Users/sam/Library" "$root/Users/alex/Pictures" "$root/Users/sam/Pictures"
  demo_backup "$root/Users/alex" 00008030-00125C2E0287C02E "Alex's iPhone" 60 iPhone12,1 17.5 1
  demo_backup "$root/Users/alex" 3d0d7e5fb2ce288813306e4d4636395e047a3d28 "Alex's iPad" 40 iPad7,5 16.7 94   # three months without a backup
  demo_library "$root/Users/alex/Pictures/Photos Library.photoslibrary" photos 30
  demo_library "$root/Users/sam/Pictures/iPhoto Library.photolibrary" iphoto 20
  mkdir -p "$root/Users/alex/Music/iTunes/iTunes Media/Music/Artist/Album"
  head -c 2048 /dev/urandom >"$root/Users/alex/Music/iTunes/iTunes Library.itl"
  head -c 40000 /dev/urandom >"$root/Users/alex/Music/iTunes/iTunes Media/Music/Artist/Album/01 Track.m4a"
}

# The transcript. Needs: ROOT, DRIVE, REPO; the functions provision (the CLI with the platform's
# options), unplug (takes the drive away); ALSO (text naming how the machine is found).
demo_transcript() {
  say provision validate "                        # finds ./backups.yaml"
  provision validate
  say provision status --root demo-root          "# what is where now; $ALSO"
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
  say "$UNPLUG_SHOWN" "&&" provision plan --root demo-root   "# the drive unplugged"
  unplug
  provision plan --root "$ROOT" || true
  say provision status --root demo-root
  provision status --root "$ROOT" | sed "s#$ROOT#demo-root#g"
}
