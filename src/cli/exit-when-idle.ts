/**
 * Ends the process once a command is done, when nothing it started is still going, instead of
 * letting Node wind itself down.
 *
 * Why: after the event loop empties, Node's own ending (V8's deferred tasks, freeing the heap)
 * takes about 2 ms, a tenth of what a converged plan adds to Node's start on a fast machine
 * (docs/performance.md, "The seventh pass"). process.exit skips that and nothing else when:
 * - nothing waits on the operating system: no handle, request or timer that keeps the event loop
 *   going (process.getActiveResourcesInfo lists exactly those). A write still on its way to a
 *   pipe or a terminal through a stream is such a request (a `WriteWrap`), so output is never
 *   cut short; the CLI's own text to a pipe or a file is written synchronously (std-output.ts);
 * - the promise jobs already queued have run: a process.nextTick callback runs only once the
 *   microtask queue is empty. (Not a turn of the event loop: that lets V8's deferred tasks run,
 *   which is most of what this saves.)
 * - no one listens for 'beforeExit', which process.exit does not emit.
 * 'exit' listeners run either way. In any other case Node ends as it always does.
 */

/** What exitWhenIdle looks at, and how it ends the process: the real ones unless a test says. */
export interface ExitSeams {
  activeResources: () => string[];
  beforeExitListeners: () => number;
  exit: (code: number) => void;
}

const REAL: ExitSeams = {
  activeResources: () => process.getActiveResourcesInfo(),
  beforeExitListeners: () => process.listenerCount('beforeExit'),
  exit: (code) => process.exit(code),
};

/**
 * Ends the process with code when nothing is left to run; otherwise returns what still runs
 * (and Node ends on its own once it is done).
 */
export async function exitWhenIdle(code: number, seams: ExitSeams = REAL): Promise<string[]> {
  await new Promise<void>((resolve) => process.nextTick(resolve));
  const running = seams.activeResources();
  if (seams.beforeExitListeners() > 0) running.push('beforeExit listener');
  if (running.length === 0) seams.exit(code);
  return running;
}
