/** A small valid declaration (one drive, one user, one Mac) for tests of the built CLI's caches. */
export const ONE_DRIVE_DECLARATION = `version: 1
drives:
  archive: { volume: Archive 2TB }
users:
  alex:
    mobilesync: { drive: archive, path: MobileSync/alex }
machines:
  imac:
    hostname: [iMac, imac.local]
    users: [alex]
`;
