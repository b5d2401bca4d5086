/**
 * Lookups in the declaration's maps by a user-chosen name. Names like `constructor` or
 * `__proto__` are valid names, so a plain `record[name]` could return something inherited from
 * Object.prototype; only own properties count.
 */
export function ownEntry<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  if (record === undefined || record === null) return undefined;
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

export function hasOwnEntry(record: Readonly<Record<string, unknown>> | undefined, key: string): boolean {
  return record !== undefined && record !== null && Object.prototype.hasOwnProperty.call(record, key);
}
