import { firstLabel } from './computer-names.js';

export type MachineMatch =
  | { ok: true; machine: string }
  /**
   * 'none': candidates are all declared machines (to offer a choice);
   * 'ambiguous': candidates are the machines that matched.
   */
  | { ok: false; reason: 'none' | 'ambiguous'; candidates: string[] };

function hostnames(declared: string | string[]): string[] {
  return (Array.isArray(declared) ? declared : [declared]).map((h) => h.trim().toLowerCase()).filter((h) => h !== '');
}

/** Declared machines (in declaration order) for which `matches(declaredHostname, name)` holds for some name. */
function machinesWhere(
  machines: Record<string, { hostname: string | string[] }>,
  names: readonly string[],
  matches: (declared: string, name: string) => boolean,
): string[] {
  const lowered = names.map((n) => n.trim().toLowerCase()).filter((n) => n !== '');
  return Object.entries(machines)
    .filter(([, m]) => hostnames(m.hostname).some((d) => lowered.some((n) => matches(d, n))))
    .map(([key]) => key);
}

/**
 * Finds which declared machine this computer is, from the names it goes by (computerNames).
 * Pure. Case-insensitive. Exact matches are tried first; only when none exists does a match on
 * the first DNS label count, either way round ("imac.local" and "iMac" match each other), so a
 * fully qualified declaration wins over a short one that merely shares its first label.
 * More than one machine at the same tier is ambiguous: guessing could provision the wrong computer.
 */
export function matchMachine(
  machines: Record<string, { hostname: string | string[] }>,
  names: readonly string[],
): MachineMatch {
  const tiers = [
    (d: string, n: string) => d === n,
    (d: string, n: string) => d === firstLabel(n) || firstLabel(d) === n,
  ];
  for (const tier of tiers) {
    const found = machinesWhere(machines, names, tier);
    const [only] = found;
    if (found.length === 1 && only !== undefined) return { ok: true, machine: only };
    if (found.length > 1) return { ok: false, reason: 'ambiguous', candidates: found };
  }
  return { ok: false, reason: 'none', candidates: Object.keys(machines) };
}
