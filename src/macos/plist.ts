import type { PlistValue } from 'plist';

/**
 * Parses an XML property list printed by a macOS tool, strictly and quietly. The plist package's
 * XML parser reports problems with console.error and carries on, which would print parser noise
 * at the user and accept a damaged document; here anything it reports as an error fails the
 * parse instead, with the reports as the message. The console is borrowed only for the
 * duration of the synchronous parse. The parser (with its XML DOM) is loaded on first use: most
 * runs never read a property list, and loading it took a tenth of a no-op plan.
 */
/**
 * Starts loading the plist library (with its XML parser: about 20 ms of module loading) without
 * waiting: called once a command whose output it will parse has started (RunOptions.onSpawned),
 * it loads while that runs. Called before, it delayed the start of that command and of the
 * others a plan starts beside it (lsof) by about as long.
 */
export function preparePlistParser(): void {
  import('plist').catch(() => undefined);
}

export async function parsePlistXml(text: string): Promise<PlistValue> {
  const start = text.trimStart();
  if (!start.startsWith('<?xml') && !start.startsWith('<!DOCTYPE') && !start.startsWith('<plist')) {
    throw new Error('not an XML property list');
  }
  const plist = (await import('plist')).default;
  const reports: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => {
    reports.push(args.map(String).join(' '));
  };
  let value: PlistValue;
  try {
    value = plist.parse(text);
  } finally {
    console.error = original;
  }
  const errors = reports.filter((r) => !r.startsWith('[xmldom warning]'));
  if (errors.length > 0) throw new Error(`malformed property list: ${errors.join('; ')}`);
  return value;
}
