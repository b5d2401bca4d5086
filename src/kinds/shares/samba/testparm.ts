/**
 * Checks a Samba configuration with `testparm --suppress-prompt <file>` (same as `-s`; without
 * it testparm waits for Enter before dumping the services). testparm prints the parsed
 * configuration on stdout and its findings on stderr.
 *
 * What counts as a failure, as observed with Samba 4.17:
 * - a non-zero exit: an unreadable file, a section header without `]`, a value of the wrong
 *   type (`read only = maybe`: "value is not boolean!"), an invalid enum value, or an `ERROR:`
 *   from the global logic checks (a missing state directory);
 * - "Unknown parameter encountered": testparm (and smbd) ignore the setting and exit 0, but a
 *   misspelt `valid users` silently lets every user in, so it is refused.
 * `WARNING:` lines (for instance "some services use vfs_fruit, others don't") do not fail the
 * check; they are returned so they can be shown.
 *
 * testparm does NOT load VFS modules or look at `fruit:` values (`fruit:time machine = maybe`
 * and `vfs objects = nosuchmodule` pass), and an `include` of a missing file is silently
 * skipped: only a real tree connect proves those.
 */

export interface CommandOutput {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export type RunCommand = (cmd: string, args: readonly string[]) => Promise<CommandOutput>;

export type SambaConfigCheck = { ok: true; warnings: string[] } | { ok: false; message: string };

/** Findings that fail the check even when testparm exits 0. */
const FAILURE_LINE = /^(Unknown parameter encountered|(WARNING: )?Ignoring invalid value|ERROR)\b/;
const WARNING_LINE = /^WARNING:/;
/** testparm's progress and information lines, left out of messages. */
const NOISE_LINE = /^(Load smb config files from |Loaded services file OK|Weak crypto is allowed|Server role: )/;

export async function checkSambaConfig(run: RunCommand, smbConfPath: string): Promise<SambaConfigCheck> {
  const result = await run('testparm', ['--suppress-prompt', smbConfPath]);
  if (result.exitCode === 127) {
    return { ok: false, message: 'testparm was not found: install Samba (testparm is in the samba-common-bin package on Debian)' };
  }
  const lines = result.stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !NOISE_LINE.test(l));
  const failures = result.exitCode !== 0 ? lines : lines.filter((l) => FAILURE_LINE.test(l));
  if (result.exitCode !== 0 || failures.length > 0) {
    const detail = failures.length > 0 ? failures.join('\n') : `testparm exited with ${result.exitCode}`;
    return { ok: false, message: `testparm rejects ${smbConfPath}:\n${detail}` };
  }
  return { ok: true, warnings: lines.filter((l) => WARNING_LINE.test(l)) };
}
