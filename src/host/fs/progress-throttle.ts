/** Limits progress callbacks to about ten a second; the final report always goes out. */

import type { CopyProgress } from '../host.js';

const INTERVAL_MS = 100;

export class ProgressThrottle {
  private last = 0;

  constructor(private readonly onProgress: ((p: CopyProgress) => void) | undefined) {}

  report(progress: CopyProgress): void {
    if (this.onProgress === undefined) return;
    const now = performance.now();
    if (now - this.last < INTERVAL_MS) return;
    this.last = now;
    this.onProgress({ ...progress });
  }

  final(progress: CopyProgress): void {
    this.onProgress?.({ ...progress });
  }
}
