/**
 * Which top-level names a walk of two trees or one leaves out: those `skipTop` names (entries
 * discarded rather than moved) and, with `onlyTop`, every name not in it (the other entries of a
 * folder on the drive that holds more than the move's). Shared by the comparison and the fingerprint.
 */
export function leftOutAtTop(options: { skipTop?: readonly string[]; onlyTop?: readonly string[] }): (name: string) => boolean {
  const skip = new Set(options.skipTop ?? []);
  const only = options.onlyTop === undefined ? undefined : new Set(options.onlyTop);
  return (name) => skip.has(name) || (only !== undefined && !only.has(name));
}
