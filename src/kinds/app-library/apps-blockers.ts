import type { Blocker } from '../../engine/types.js';
import type { AppLibraryDesired, AppsObserved } from './types.js';

/**
 * Why a library cannot change while its app may have it open: the app is running for the user,
 * or that could not be told. `why` says what would go wrong; `again` what to run afterwards.
 */
export function appsBlockers(d: AppLibraryDesired, apps: AppsObserved | undefined, why: string, again: string): Blocker[] {
  if (apps === undefined) {
    // refine looks whenever a draft plan changes something: this is that draft.
    return [{ code: 'APPS_NOT_CHECKED', reason: `whether ${d.apps.join(' or ')} is running for ${d.user} was not checked`, fix: again }];
  }
  if (!apps.ok) return [{ code: 'APP_CHECK_FAILED', reason: apps.message, fix: apps.hint }];
  if (apps.running.length === 0) return [];
  const names = apps.running.join(' and ');
  return [
    {
      code: 'APP_RUNNING',
      reason: `${names} ${apps.running.length === 1 ? 'is' : 'are'} running for ${d.user}: ${why}`,
      fix: `quit ${names} (${d.user} may need to log in to do it, or log out), then ${again}`,
    },
  ];
}
