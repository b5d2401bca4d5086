// The human layout of `diskutil info` (no -plist): three spaces, the label and its colon padded
// so values start at column 30, blank lines between groups, sizes as
// "2.0 TB (2000398934016 Bytes) (exactly 3907029168 512-Byte-Units)" with decimal units.
// Layout taken from published transcripts of recent macOS; only the fields provision's
// declarations touch are printed.

const VALUE_COLUMN = 30;
const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

/** @param {number} bytes */
export function humanSize(bytes) {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const shown = unit === 0 ? String(bytes) : value.toFixed(1);
  return `${shown} ${UNITS[unit]} (${bytes} Bytes) (exactly ${Math.floor(bytes / 512)} 512-Byte-Units)`;
}

/** @param {string} label @param {string} value */
function line(label, value) {
  return `   ${`${label}:`.padEnd(VALUE_COLUMN - 3)}${value}`;
}

const yesNo = (b) => (b ? 'Yes' : 'No');

/** @param {ReturnType<import('./diskutil-volumes.js').completeVolume>} v */
export function formatInfo(v) {
  const groups = [
    [
      line('Device Identifier', v.DeviceIdentifier),
      line('Device Node', v.DeviceNode),
      line('Whole', 'No'),
      line('Part of Whole', v.DeviceIdentifier.replace(/s\d+$/, '')),
    ],
    [line('Volume Name', v.VolumeName), line('Mounted', 'Yes'), line('Mount Point', v.MountPoint)],
    [
      line('File System Personality', v.FilesystemName),
      line('Type (Bundle)', v.FilesystemType),
      line('Name (User Visible)', v.FilesystemUserVisibleName),
      line('Owners', v.GlobalPermissionsEnabled ? 'Enabled' : 'Disabled'),
    ],
    [line('Volume UUID', v.VolumeUUID)],
    [line('Volume Total Space', humanSize(v.TotalSize)), line('Volume Free Space', humanSize(v.FreeSpace))],
    [line('Volume Read-Only', yesNo(!v.WritableVolume))],
    [line('Device Location', v.Internal ? 'Internal' : 'External'), line('Removable Media', v.RemovableMedia ? 'Removable' : 'Fixed')],
  ];
  return `${groups.map((g) => g.join('\n')).join('\n\n')}\n`;
}
