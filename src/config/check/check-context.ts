/** What every semantic check receives, and the one way they phrase a problem. */

import type { Problem, SourceLocation } from '../../errors.js';
import type { DeclaredConfig } from '../model/declared.js';
import type { ConfigLocator } from '../read/yaml-locator.js';
import { quoted } from '../../text/printable.js';

export interface CheckContext {
  config: DeclaredConfig;
  where: ConfigLocator;
}

export type Check = (ctx: CheckContext) => Problem[];

export function invalid(message: string, hint: string, location: SourceLocation): Problem {
  return { code: 'CONFIG_INVALID', message, hint, location };
}

/** `did you mean \`archive\`?`, or the list of what exists, or how to declare one. */
export function unknownNameHint(name: string, known: readonly string[], section: 'drives' | 'users', guess: string | undefined): string {
  if (guess !== undefined) return `did you mean ${quoted(guess)}?`;
  if (known.length === 0) return `declare ${quoted(name)} under ${section}: first`;
  return `declared ${section}: ${known.join(', ')}; declare ${quoted(name)} under ${section}: or use one of those`;
}
