import type { RestoreSupport } from '../../engine/kind.js';
import type { LinkedFolderRestoreObserved } from './plan-restore.js';
import type { LinkedFolderDesired } from './types.js';

/** A linked folder's restore support, loaded by provision restore only (engine/kind.ts). */
export async function linkedFolderRestore(): Promise<RestoreSupport<LinkedFolderDesired, LinkedFolderRestoreObserved>> {
  const [{ observeLinkedFolderRestore }, { planLinkedFolderRestore }] = await Promise.all([import('./observe-restore.js'), import('./plan-restore.js')]);
  return { observe: observeLinkedFolderRestore, plan: planLinkedFolderRestore };
}
