/**
 * Property lists written by a real writer: Python's plistlib (its FMT_BINARY writer is a
 * faithful implementation of CoreFoundation's bplist00 format), so that the binary parser is
 * tested on files it did not make itself. Values go to Python as JSON; a string that looks like
 * `{"$date": "ISO"}` becomes a datetime, `{"$data": "base64"}` bytes.
 */

import { execa } from 'execa';
import { writeFile } from 'node:fs/promises';

const WRITER = `
import base64, datetime, json, plistlib, sys
def conv(v):
    if isinstance(v, dict):
        if set(v) == {"$date"}:
            return datetime.datetime.fromisoformat(v["$date"].replace("Z", "+00:00")).astimezone(datetime.timezone.utc).replace(tzinfo=None)
        if set(v) == {"$data"}:
            return base64.b64decode(v["$data"])
        return {k: conv(x) for k, x in v.items()}
    if isinstance(v, list):
        return [conv(x) for x in v]
    return v
value = conv(json.loads(sys.stdin.read()))
fmt = plistlib.FMT_BINARY if sys.argv[1] == "binary" else plistlib.FMT_XML
sys.stdout.buffer.write(plistlib.dumps(value, fmt=fmt))
`;

export type PyPlistValue = string | number | boolean | { $date: string } | { $data: string } | PyPlistValue[] | { [key: string]: PyPlistValue };

/** The bytes of `value` as plistlib writes it, binary by default. */
export async function pythonPlist(value: PyPlistValue, format: 'binary' | 'xml' = 'binary'): Promise<Buffer> {
  const r = await execa('python3', ['-c', WRITER, format], { input: JSON.stringify(value), encoding: 'buffer' });
  return Buffer.from(r.stdout);
}

export async function writePythonPlist(file: string, value: PyPlistValue, format: 'binary' | 'xml' = 'binary'): Promise<void> {
  await writeFile(file, await pythonPlist(value, format));
}

export const pyDate = (d: Date): { $date: string } => ({ $date: d.toISOString() });
