import type { Command } from 'commander';
import { completionScript, type Shell } from '../../completion/completion-script.js';
import { findAndLoadConfig } from '../../app/session.js';
import { activeListings } from '../../config/model/effective.js';
import { ownEntry } from '../../config/model/own-entry.js';
import { provisionVersion } from '../../app/version.js';

/** `provision completion SHELL`: the script on stdout, made from the program's own commands. */
export function completionCommand(shell: Shell, command: Command): number {
  // The action is given its own command; its parent is the program, whose tree is walked.
  const program = command.parent ?? command;
  process.stdout.write(completionScript(shell, program, provisionVersion()));
  return 0;
}

export interface NamesOptions {
  config?: string;
  machine?: string;
}

/**
 * `provision __complete machines|users [-c FILE] [--machine NAME]`, which the completion
 * scripts run while the user presses Tab: the names, one a line. It must be quick and quiet,
 * so anything wrong (no declaration, an invalid one, an unknown machine) prints nothing and
 * still exits 0: a shell shows no error in the middle of the line being typed.
 */
export async function completeNamesCommand(what: string, opts: NamesOptions): Promise<number> {
  try {
    const { loaded } = await findAndLoadConfig(opts.config);
    const config = loaded.config;
    let names: string[] = [];
    if (what === 'machines') names = Object.keys(config.machines);
    else if (what === 'users') {
      // The users of the machine named on the line; without one, every user declared anywhere.
      names =
        opts.machine !== undefined && ownEntry(config.machines, opts.machine) !== undefined
          ? activeListings(config, opts.machine).map((l) => l.name)
          : [...new Set([...Object.keys(config.users ?? {}), ...Object.keys(config.machines).flatMap((m) => activeListings(config, m).map((l) => l.name))])];
    }
    // A name with a line break would read as two; such a name cannot be typed anyway.
    const shown = names.filter((n) => !/[\r\n]/.test(n));
    if (shown.length > 0) process.stdout.write(`${shown.join('\n')}\n`);
  } catch {
    // Quiet on purpose: see above.
  }
  return 0;
}
