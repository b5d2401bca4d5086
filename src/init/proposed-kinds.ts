import type { LocationKind } from '../config/model/effective.js';

/**
 * The kinds init proposes a location for, from what it finds in a home: it knows where each
 * lives, what to call it and what its folder on the drive is named. A kind added later works
 * when declared by hand without being listed here; init only does not propose it yet.
 */
export const PROPOSED_KINDS = ['mobilesync', 'photos', 'music'] as const satisfies readonly LocationKind[];

export type ProposedKind = (typeof PROPOSED_KINDS)[number];
