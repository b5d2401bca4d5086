/** A declared quota ("800GB", "1.5TB"; decimal units, as Apple counts) in whole gigabytes. */
export function quotaGB(quota: string): number {
  const m = /^([0-9]+(?:\.[0-9]+)?) ?(GB|TB)$/.exec(quota);
  if (m === null) throw new Error(`internal: quota ${quota} passed validation but is not one`);
  return Math.round(Number(m[1]) * (m[2] === 'TB' ? 1000 : 1));
}
