/**
 * The Samba configuration file provision owns on a Linux machine (provision.conf), included at
 * the end of the machine's smb.conf. A pure function: the same shares always give the same
 * bytes, so a plan can compare the file on disk with what it should be.
 *
 * What was checked against Samba 4.17 (testparm and a real smbd, see test/kinds/shares/samba/):
 * - An `include` line at the end of smb.conf sits inside whatever section came last, but the
 *   included file's own `[global]` header reopens the global section: its settings apply, and
 *   being read last they win over the same settings earlier in smb.conf.
 * - A late `[global]` does NOT change shares defined before it for ordinary share settings
 *   (`vfs objects`, `guest ok`, ...): each share copied the global defaults when its section
 *   began. Parametric `fruit:` settings are different: they are looked up at run time and fall
 *   back to the global value, so a global `fruit:metadata` would also switch the machine's
 *   own fruit shares. That is why only the settings vfs_fruit reads globally are in [global]
 *   here, and everything else is set per share.
 */

export interface SambaShare {
  /** The name clients see (SMB compares names ignoring case). */
  name: string;
  /** The shared folder, absolute, as the Linux machine sees it. */
  path: string;
  /** Linux account names allowed to connect; each needs a Samba password (smbpasswd -a). */
  validUsers: string[];
  timeMachine: boolean;
  /**
   * Samba's size form (`800G`, `2T`), binary units: 1T = 2^40 bytes (seen in the size smbd
   * reports). Time Machine shares only. vfs_fruit subtracts only the backup bundles the
   * connecting account can read, and bundles here are private (0700), so in effect each
   * account gets up to this much, not the share as a whole (test/kinds/shares/samba/real-smbd.test.ts).
   */
  maxSize?: string;
}

const HEADER = [
  '# Written by provision. Do not edit: provision overwrites this file on every apply.',
  '# It is included at the end of smb.conf; remove the share from the declaration instead.',
];

/**
 * Globals for vfs_fruit (vfs_fruit(8): "must be set in the global smb.conf section and won't
 * take effect when set per share"). fruit:aapl is on by default; it is set in case smb.conf
 * turned it off, because Time Machine support is advertised as a volume capability of Apple's
 * AAPL extension (our reading of vfs_fruit(8); an assumption, not tried with a Mac here).
 * fruit:model is the platform facts' choice (the Finder icon); read last, it overrides a model
 * chosen earlier in smb.conf.
 */
const GLOBAL_LINES = ['fruit:aapl = yes', 'fruit:model = MacSamba'];

/**
 * Every provision share gets fruit, Time Machine or not: macOS negotiates Apple's SMB
 * extensions on its first tree connect, and if that share has no fruit they are off for the
 * whole session (vfs_fruit(8), "mixing shares with and without fruit"). Shares of smb.conf's
 * own that lack fruit can still cause this; testparm warns about it (see testparm.ts).
 */
const FRUIT_LINES = ['vfs objects = catia fruit streams_xattr', 'fruit:metadata = stream'];

/**
 * Characters a share name cannot hold: `]` ends the section header and a line end ends the
 * line; the rest are refused by Windows and macOS clients in share names, or (`%`) expanded by
 * Samba as a variable.
 */
const BAD_SHARE_CHARACTER = /[\p{Cc}\u2028\u2029\[\]"\/\\:|<>+=;,*?%]/u;
/** Sections smb.conf treats specially: a share by one of these names would not be a share. */
const RESERVED_SHARE_NAMES = new Set(['global', 'homes', 'printers', 'ipc$']);
/**
 * In `valid users` a name is quoted, so spaces are fine, but a quote cannot be escaped; `,`
 * and `;` separate list entries (kept out even though quoting should protect them: testparm
 * prints such a name back unquoted), `\` separates a domain from a name, `%` is expanded as
 * a variable, and a line end would end the setting.
 */
const BAD_USER_CHARACTER = /[\p{Cc}\u2028\u2029",;\\%]/u;
/** A leading @, + or & makes a `valid users` entry a group, not a user. */
const GROUP_MARKER = /^[@+&]/;
/** `%` is expanded as a variable in a path; a quote would be kept as part of the path. */
const BAD_PATH_CHARACTER = /[\p{Cc}\u2028\u2029"%]/u;
/** smb.conf reads a run of spaces as one, so a name or path holding one would change. */
const SPACE_RUN = / {2,}/;
const SAMBA_SIZE = /^[1-9][0-9]*[KMGTP]?$/;

export function renderProvisionConf(shares: SambaShare[]): string {
  const lines = [...HEADER];
  if (shares.length === 0) {
    // No [global] either: with no share of provision's, nothing of smb.conf's is overridden.
    lines.push('# No shares are declared for this machine.');
    return `${lines.join('\n')}\n`;
  }
  checkDistinct(shares);
  lines.push('', '[global]', ...GLOBAL_LINES.map(indent));
  for (const share of [...shares].sort(byName)) lines.push('', ...renderShare(share));
  return `${lines.join('\n')}\n`;
}

function renderShare(share: SambaShare): string[] {
  checkShareName(share.name);
  checkPath(share);
  const users = [...new Set(share.validUsers)].sort(codePointOrder);
  if (users.length === 0) {
    // An empty `valid users` means anyone with an account may connect.
    throw new Error(`Samba share "${share.name}" has no users: an empty valid users list would let everyone in`);
  }
  for (const user of users) checkUserName(share.name, user);
  const lines = [
    `path = ${share.path}`,
    `valid users = ${users.map((u) => `"${u}"`).join(' ')}`,
    // Stated even where it is the default: a share takes smb.conf's global defaults, and
    // guest ok = yes there must not open this share.
    'guest ok = no',
    'read only = no',
    'browseable = yes',
    // Several people back up to one share: what each creates is theirs alone (see
    // test/kinds/shares/samba/real-smbd.test.ts for the folder's owner and mode that go with this).
    'create mask = 0600',
    'directory mask = 0700',
    ...FRUIT_LINES,
  ];
  if (share.timeMachine) {
    lines.push('fruit:time machine = yes');
    if (share.maxSize !== undefined) {
      if (!SAMBA_SIZE.test(share.maxSize)) {
        throw new Error(`Samba share "${share.name}": max size "${share.maxSize}" is not in Samba's form (a whole number and K, M, G, T or P, like 800G)`);
      }
      lines.push(`fruit:time machine max size = ${share.maxSize}`);
    }
  } else if (share.maxSize !== undefined) {
    throw new Error(`Samba share "${share.name}" has a max size but is not a Time Machine share`);
  }
  return [`[${share.name}]`, ...lines.map(indent)];
}

function checkShareName(name: string): void {
  if (name.length === 0) throw new Error('A Samba share name is empty');
  if (name.length > 80) throw new Error(`Samba share name "${printable(name)}" is longer than 80 characters`);
  if (name.trim() !== name) throw new Error(`Samba share name "${printable(name)}" starts or ends with a space, which smb.conf drops`);
  const bad = BAD_SHARE_CHARACTER.exec(name);
  if (bad !== null) throw new Error(`Samba share name "${printable(name)}" contains ${describe(bad[0])}, which a share name cannot hold`);
  if (SPACE_RUN.test(name)) throw new Error(`Samba share name "${name}" has spaces in a row, which smb.conf reads as one`);
  if (RESERVED_SHARE_NAMES.has(name.toLowerCase())) throw new Error(`Samba share name "${name}" is reserved by smb.conf`);
}

function checkUserName(share: string, user: string): void {
  if (user.length === 0) throw new Error(`Samba share "${share}" lists an empty user name`);
  if (user.trim() !== user) throw new Error(`Samba share "${share}": user name "${printable(user)}" starts or ends with a space`);
  const bad = BAD_USER_CHARACTER.exec(user);
  if (bad !== null) throw new Error(`Samba share "${share}": user name "${printable(user)}" contains ${describe(bad[0])}, which valid users cannot hold`);
  if (SPACE_RUN.test(user)) throw new Error(`Samba share "${share}": user name "${user}" has spaces in a row, which smb.conf reads as one`);
  if (GROUP_MARKER.test(user)) throw new Error(`Samba share "${share}": user name "${user}" starts with "${user[0]}", which makes it a group in valid users`);
}

function checkPath(share: SambaShare): void {
  const p = share.path;
  if (!p.startsWith('/')) throw new Error(`Samba share "${share.name}": path "${printable(p)}" is not absolute`);
  if (p.trim() !== p) throw new Error(`Samba share "${share.name}": path "${printable(p)}" ends with a space, which smb.conf drops`);
  const bad = BAD_PATH_CHARACTER.exec(p);
  if (bad !== null) throw new Error(`Samba share "${share.name}": path "${printable(p)}" contains ${describe(bad[0])}, which smb.conf cannot hold`);
  if (SPACE_RUN.test(p)) throw new Error(`Samba share "${share.name}": path "${p}" has spaces in a row, which smb.conf reads as one`);
  // A line ending in a backslash continues on the next line in smb.conf.
  if (p.endsWith('\\')) throw new Error(`Samba share "${share.name}": path "${p}" ends with a backslash, which smb.conf reads as a continued line`);
}

function checkDistinct(shares: SambaShare[]): void {
  const seen = new Map<string, string>();
  for (const share of shares) {
    const key = share.name.toLowerCase();
    const other = seen.get(key);
    if (other !== undefined) {
      // smb.conf merges two sections whose names differ only in case into one share.
      throw new Error(`Samba shares "${other}" and "${share.name}" have the same name (SMB ignores case)`);
    }
    seen.set(key, share.name);
  }
}

/** Sorted on the lower-cased name so the order does not depend on the locale or on case. */
function byName(a: SambaShare, b: SambaShare): number {
  return codePointOrder(a.name.toLowerCase(), b.name.toLowerCase());
}

function codePointOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function indent(line: string): string {
  return `   ${line}`;
}

/** A name with its control characters made visible, for an error message. */
function printable(text: string): string {
  return text.replace(/[\p{Cc}\u2028\u2029]/gu, (ch) => describe(ch));
}

function describe(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  if (/[\p{Cc}\u2028\u2029]/u.test(ch)) return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `"${ch}"`;
}
