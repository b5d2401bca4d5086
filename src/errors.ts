/**
 * Errors are values with codes (docs/design.md, note 8). Every expected failure carries a code, an
 * optional location in the declaration, and a hint telling the user what to do. Only the CLI
 * entry point turns these into text and exit codes; no stack trace reaches a user for them.
 */

export type ErrorCode =
  | 'CONFIG_NOT_FOUND'
  | 'CONFIG_UNREADABLE'
  | 'CONFIG_SYNTAX'
  | 'CONFIG_SCHEMA'
  | 'CONFIG_INVALID'
  | 'MACHINE_UNKNOWN'
  | 'MACHINE_NOT_DETECTED'
  | 'USER_UNKNOWN'
  | 'NO_USERS'
  | 'PLATFORM_MISMATCH'
  | 'ROOT_INVALID'
  | 'USAGE'
  | 'PLAN_BLOCKED'
  | 'PLAN_STALE'
  | 'PLAN_FILE_INVALID'
  | 'CONFIG_EXISTS'
  | 'MACHINE_DECLARED'
  | 'NEEDS_YES'
  | 'DECLINED'
  | 'READ_ONLY_HOST'
  | 'VERIFY_FAILED'
  | 'NO_SPACE'
  | 'DRIVE_GONE'
  | 'DRIVE_MISMATCH'
  | 'DRIVE_READ_ONLY'
  | 'COPY_MISSING'
  | 'SOURCE_IN_USE'
  | 'SOURCE_CHANGED'
  | 'PERMISSION'
  | 'FILE_LOCKED'
  | 'COMMAND_FAILED'
  | 'INTERRUPTED'
  | 'LOCKED'
  | 'FULL_DISK_ACCESS'
  | 'NEEDS_ROOT'
  | 'NOT_CONFIRMED'
  | 'KEPT_NAME_TAKEN'
  | 'NOTHING_KEPT'
  | 'IO';

/** A place in a declaration file; line and column are 1-based. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/** One thing wrong with the input; validation collects many of these before failing. */
export interface Problem {
  code: ErrorCode;
  message: string;
  hint?: string;
  location?: SourceLocation;
}

export class ProvisionError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly location: SourceLocation | undefined;
  /** Further problems reported together with this one (validation). */
  readonly problems: readonly Problem[];

  constructor(
    code: ErrorCode,
    message: string,
    options: { hint?: string; location?: SourceLocation; problems?: readonly Problem[]; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ProvisionError';
    this.code = code;
    this.hint = options.hint;
    this.location = options.location;
    this.problems = options.problems ?? [];
  }

  static fromProblems(problems: readonly Problem[]): ProvisionError {
    const first = problems[0];
    if (first === undefined) throw new Error('fromProblems needs at least one problem');
    return new ProvisionError(first.code, first.message, {
      ...(first.hint === undefined ? {} : { hint: first.hint }),
      ...(first.location === undefined ? {} : { location: first.location }),
      problems,
    });
  }
}

export function isProvisionError(e: unknown): e is ProvisionError {
  return e instanceof ProvisionError;
}

/** The errno code of a Node system error, if it is one. */
export function errnoCode(e: unknown): string | undefined {
  if (typeof e === 'object' && e !== null && 'code' in e) {
    const code = (e as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

export function formatLocation(loc: SourceLocation): string {
  return `${loc.file}:${loc.line}:${loc.column}`;
}

/** Why a planned change cannot go ahead, found before the first write: a refusal as a value, shown in the plan. */
export interface Blocker {
  /** Stable code for scripts and tests, e.g. DRIVE_NOT_MOUNTED. */
  code: string;
  reason: string;
  fix: string;
}

export interface Warning {
  code: string;
  message: string;
}
