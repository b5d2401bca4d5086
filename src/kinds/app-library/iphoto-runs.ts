import { versionAtLeast } from '../../macos/macos-version.js';
import type { AppLibraryObserved } from './types.js';

/** The first macOS on which iPhoto, a 32-bit app, cannot run (docs/platform-facts.md, verified). */
const NO_IPHOTO_FROM = '10.15';

/** Whether the Mac is known to be too new for iPhoto: then its preference is neither read nor written. */
export function iPhotoCannotRun(o: Pick<AppLibraryObserved, 'macosVersion'>): boolean {
  return o.macosVersion !== undefined && versionAtLeast(o.macosVersion, NO_IPHOTO_FROM);
}
