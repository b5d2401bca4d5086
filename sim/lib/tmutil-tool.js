// tmutil simulator: the verbs provision uses to manage Time Machine destinations:
// destinationinfo [-X], setdestination [-ap] arg, removedestination id, setquota id GB.
// Facts (docs/platform-facts.md): the verbs and their arguments (man page, verified); setdestination,
// removedestination and setquota need root and Full Disk Access; the Full Disk Access refusal
// text (verified, for setdestination); the destinationinfo layouts (fixture); setquota first
// documented with macOS 14.
// Assumed (no source): the non-root refusal text (unverified in the facts) and exit 1 for it and
// for a missing Full Disk Access; the Full Disk Access text for the other two verbs (the
// setdestination one with the verb changed); the unknown-ID message; the usage text, on stderr
// with exit 1, also for setquota before macOS 14 (the verb did not exist).

import { runTool, ToolExit, usageExit } from './cli.js';
import { loadVolumes } from './diskutil-volumes.js';
import { isRoot } from './privilege.js';
import { destinationInfoPlist, formatDestinationInfo } from './tmutil-format.js';
import { parseSetDestinationArgs, setDestination } from './tmutil-setdestination.js';
import { findById, loadTmutil, updateTmutil } from './tmutil-store.js';
import { isExcludedVerb } from './tmutil-isexcluded.js';

const USAGE = [
  'Usage: tmutil <verb> <options>',
  '  tmutil destinationinfo [-X]',
  '  tmutil setdestination [-ap] <mount point | smb://user[:pass]@host/share | afp://user[:pass]@host/share>',
  '  tmutil removedestination <destination ID>',
  '  tmutil setquota <destination ID> <quota in GB>   (macOS 14 and later)',
  '  tmutil isexcluded <item>...',
  '(this simulator implements only these verbs)',
].join('\n');

/** setquota appeared with macOS 14; earlier releases do not know the verb. */
const SETQUOTA_SINCE = 14;

/**
 * Root first, then Full Disk Access, as the real tool checks before touching its settings.
 * @param {string} verb
 */
function requirePrivileges(verb) {
  if (!isRoot()) {
    // Assumed wording: the facts do not confirm the real text.
    throw new ToolExit(1, { stderr: `tmutil: ${verb} requires root privileges.\n` });
  }
  if (!loadTmutil().fullDiskAccess) {
    throw new ToolExit(1, {
      stderr:
        `tmutil: ${verb} requires Full Disk Access privileges.\n` +
        'To allow this operation, select Full Disk Access in the Privacy tab of the Security & Privacy preference pane, ' +
        'and add Terminal to the list of applications which are allowed Full Disk Access.\n',
    });
  }
}

/** @param {string} id */
function unknownId(id) {
  throw new ToolExit(1, { stderr: `tmutil: No destination found with ID ${id}.\n` });
}

/**
 * Where a destination is mounted, if it is. A local one is mounted while the diskutil simulator
 * knows a volume at its mount point (the simulated Mac's mounted volumes are that section); a
 * network one when the state gives it a MountPoint (the simulator mounts no shares).
 */
function mountPointResolver() {
  /** @type {Set<string> | undefined} */
  let mounted;
  /** @param {import('./tmutil-store.js').Destination} d */
  return (d) => {
    if (d.MountPoint === undefined) return undefined;
    if (d.Kind === 'Network') return d.MountPoint;
    mounted ??= new Set(loadVolumes().map((v) => v.MountPoint));
    return mounted.has(d.MountPoint) ? d.MountPoint : undefined;
  };
}

/** @param {string[]} args */
function destinationInfo(args) {
  const xml = args.length === 1 && args[0] === '-X';
  if (args.length > 0 && !xml) usageExit(USAGE);
  const { destinations } = loadTmutil();
  const mountPointOf = mountPointResolver();
  process.stdout.write(xml ? destinationInfoPlist(destinations, mountPointOf) : formatDestinationInfo(destinations, mountPointOf));
  return 0;
}

/** @param {string[]} args */
function removeDestination(args) {
  if (args.length !== 1 || args[0] === '') usageExit(USAGE);
  const id = /** @type {string} */ (args[0]);
  requirePrivileges('removedestination');
  if (findById(loadTmutil().destinations, id) < 0) unknownId(id);
  updateTmutil((s) => {
    s.destinations = s.destinations.filter((_, i) => i !== findById(s.destinations, id));
  });
  return 0;
}

/** @param {string[]} args */
function setQuota(args) {
  if (loadTmutil().macosMajor < SETQUOTA_SINCE) usageExit(USAGE);
  if (args.length !== 2 || !/^[1-9]\d*$/.test(args[1] ?? '')) usageExit(USAGE);
  const [id, gb] = /** @type {[string, string]} */ (args);
  requirePrivileges('setquota');
  if (findById(loadTmutil().destinations, id) < 0) unknownId(id);
  updateTmutil((s) => {
    const d = s.destinations[findById(s.destinations, id)];
    if (d !== undefined) d.QuotaGB = Number(gb);
  });
  return 0;
}

/** @param {string[]} args */
function setDestinationVerb(args) {
  const parsed = parseSetDestinationArgs(args);
  if (parsed === undefined) usageExit(USAGE);
  requirePrivileges('setdestination');
  return setDestination(/** @type {NonNullable<typeof parsed>} */ (parsed));
}

/**
 * @param {string[]} argv
 * @returns {number}
 */
export function tmutilMain(argv) {
  const [verb, ...args] = argv;
  switch (verb) {
    case 'destinationinfo':
      return destinationInfo(args);
    case 'setdestination':
      return setDestinationVerb(args);
    case 'removedestination':
      return removeDestination(args);
    case 'setquota':
      return setQuota(args);
    case 'isexcluded':
      return isExcludedVerb(args, USAGE);
    default:
      usageExit(USAGE);
      return 1; // not reached: usageExit throws
  }
}

export function run() {
  return runTool('tmutil', tmutilMain);
}
