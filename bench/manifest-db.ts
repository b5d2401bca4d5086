/**
 * Manifest.db as a real SQLite database (the schema iOS 10 and later write: `Files` with one row
 * per file and `Properties`), made by the sqlite3 tool (Node 20 has no SQLite of its own). Its
 * size grows with the number of files, as a real one does: about 1.5 KiB a file.
 */

import { chmod, stat } from 'node:fs/promises';
import { execa } from 'execa';

export interface ManifestRow {
  fileID: string;
  domain: string;
  relativePath: string;
  /** 1 for a file, 2 for a folder. */
  flags: 1 | 2;
  /** Stands in for the NSKeyedArchiver plist describing the file. */
  blob: Buffer;
}

const sqlText = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** Writes the database and returns its size in bytes. */
export async function writeManifestDb(path: string, rows: readonly ManifestRow[]): Promise<number> {
  const lines = [
    'PRAGMA journal_mode = OFF;',
    'PRAGMA synchronous = OFF;',
    'BEGIN;',
    'CREATE TABLE Files (fileID TEXT PRIMARY KEY, domain TEXT, relativePath TEXT, flags INTEGER, file BLOB);',
    'CREATE INDEX FilesDomainIdx ON Files(domain);',
    'CREATE INDEX FilesRelativePathIdx ON Files(relativePath);',
    'CREATE TABLE Properties (key TEXT PRIMARY KEY, value BLOB);',
  ];
  for (const row of rows) {
    lines.push(
      `INSERT INTO Files VALUES (${sqlText(row.fileID)}, ${sqlText(row.domain)}, ${sqlText(row.relativePath)}, ${row.flags}, X'${row.blob.toString('hex')}');`,
    );
  }
  lines.push('COMMIT;');
  try {
    await execa('sqlite3', [path], { input: lines.join('\n') + '\n' });
  } catch (error) {
    const missing = error instanceof Error && 'code' in error && error.code === 'ENOENT';
    if (missing) throw new Error('the tree generator needs the sqlite3 tool for Manifest.db (Debian: apt-get install sqlite3)');
    throw error;
  }
  // sqlite3 creates it through the umask; a generated tree must not depend on the caller's.
  await chmod(path, 0o644);
  return (await stat(path)).size;
}
