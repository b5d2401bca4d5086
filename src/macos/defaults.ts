/**
 * Reading and writing one user's macOS preferences with defaults(1), e.g. where iPhoto keeps
 * its library (com.apple.iPhoto RootDirectory). defaults acts on the invoking user's domain, so
 * another user's preferences are reached with `sudo -n -u <user> defaults ...` (root needs no
 * password; -n makes anything else fail instead of prompting). Writing a plist file directly
 * would bypass cfprefsd, which caches preferences and could overwrite the change.
 */

import { ProvisionError, isProvisionError } from '../errors.js';
import type { Host, HostReads, RunResult } from '../host/host.js';

/** What defaults prints (on stderr) for a key or domain that is not set, in every version seen. */
const NOT_SET = 'does not exist';

/** The command and arguments that run `defaults <args>` as asUser (or as ourselves). */
function defaultsCommand(args: readonly string[], asUser: string | undefined): [string, string[]] {
  if (asUser === undefined) return ['defaults', [...args]];
  return ['sudo', ['-n', '-u', asUser, '--', 'defaults', ...args]];
}

function describe(args: readonly string[], asUser: string | undefined): string {
  return `${asUser === undefined ? '' : `sudo -u ${asUser} `}defaults ${args.join(' ')}`;
}

function failed(what: string, result: RunResult): ProvisionError {
  const detail = result.stderr.trim();
  return new ProvisionError('COMMAND_FAILED', `${what} failed (exit ${result.exitCode})${detail === '' ? '' : `: ${detail}`}`, {
    hint: `Run "${what}" yourself to see what it says.`,
  });
}

async function run(
  host: HostReads,
  runner: (command: string, args: readonly string[]) => Promise<RunResult>,
  args: readonly string[],
  asUser: string | undefined,
): Promise<RunResult> {
  const [command, argv] = defaultsCommand(args, asUser);
  try {
    return await runner.call(host, command, argv);
  } catch (e) {
    if (isProvisionError(e)) throw e;
    throw new ProvisionError('COMMAND_FAILED', `${describe(args, asUser)} could not be run`, { cause: e });
  }
}

/**
 * One preference as the text defaults prints for it (a string value as it is; booleans as 1/0),
 * or undefined when the key or the whole domain is not set. asUser: the account whose
 * preferences to read (via sudo); leave it out for the user provision runs as. Any other
 * failure (defaults missing, sudo refusing) is a ProvisionError COMMAND_FAILED: "cannot tell"
 * must not read as "not set".
 */
export async function readDefault(host: HostReads, domain: string, key: string, asUser?: string): Promise<string | undefined> {
  const args = ['read', domain, key];
  const result = await run(host, host.query, args, asUser);
  if (result.exitCode === 0) return result.stdout.replace(/\r?\n$/, '');
  if (result.exitCode === 1 && result.stderr.includes(NOT_SET)) return undefined;
  throw failed(describe(args, asUser), result);
}

/**
 * Sets a string preference, then reads it back: defaults can exit 0 and still not have stored
 * the value (a domain owned by a running app, a sandboxed container), and the step that moved a
 * library must not believe the app now points at it when it does not. Throws ProvisionError
 * COMMAND_FAILED when the write fails or the read-back differs. -string keeps defaults from
 * parsing a value such as "(a, b)" as a property list. A dry-run host, which wrote nothing,
 * answers the read-back with the value itself.
 */
export async function writeDefault(host: Host, domain: string, key: string, value: string, asUser?: string): Promise<void> {
  const args = ['write', domain, key, '-string', value];
  const result = await run(host, host.mutate, args, asUser);
  if (result.exitCode !== 0) throw failed(describe(args, asUser), result);
  const back = await host.readBack(() => readDefault(host, domain, key, asUser), value);
  if (back !== value) {
    throw new ProvisionError(
      'COMMAND_FAILED',
      `${describe(args, asUser)} reported success, but ${key} now reads ${back === undefined ? 'as not set' : JSON.stringify(back)}`,
      { hint: `Quit the app that owns ${domain} and run provision again.` },
    );
  }
}
