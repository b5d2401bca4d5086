import { groupDigits } from './units.js';
/** How long ago, in whole days: "today", "yesterday", "94 days ago"; "in the future" for a wrong clock. */
export function describeAge(days: number): string {
  if (days < 0) return 'in the future';
  if (days === 0) return 'today';
  if (days === 1) return 'yesterday';
  return `${groupDigits(days)} days ago`;
}

/** YYYY-MM-DD HH:MM in the local time zone: when a person last plugged the phone in, or a log was written. */
export function localTime(t: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${t.getFullYear()}-${two(t.getMonth() + 1)}-${two(t.getDate())} ${two(t.getHours())}:${two(t.getMinutes())}`;
}
