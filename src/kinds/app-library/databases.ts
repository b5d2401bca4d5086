/**
 * An app library's databases, which a move compares byte for byte whatever --verify says
 * (RelocateStep.databases, matched by engine/apply/database-files.ts): Photos' database/ folder
 * (Photos.sqlite and its -wal and -shm), iPhoto's Database/ and *.db files, iTunes' .itl files
 * and the Music app's .musiclibrary package. They are rewritten in place at the same size, so
 * only their bytes tell a current copy from a stale one.
 */
export const LIBRARY_DATABASES: readonly string[] = ['database', '*.sqlite*', '*.db*', '*.itl', '*.musiclibrary'];
