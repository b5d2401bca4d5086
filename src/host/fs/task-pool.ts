/**
 * Bounded concurrency for many small file system calls. The first failure is kept and no new
 * task should be started after it; drain() waits for the ones in flight, so a caller never
 * returns while work it started is still writing.
 */

export class TaskPool {
  private running = 0;
  private waiters: (() => void)[] = [];
  private firstError: { error: unknown } | undefined;

  constructor(private readonly limit: number) {
    if (!(limit >= 1)) throw new RangeError('TaskPool limit must be at least 1');
  }

  /** Whether a task has failed; the error is rethrown by drain(). */
  get failed(): boolean {
    return this.firstError !== undefined;
  }

  /** Waits for a free slot, then starts the task (it resolves once started, not finished). */
  async run(task: () => Promise<void>): Promise<void> {
    while (this.running >= this.limit) await this.wait();
    this.running++;
    task()
      .catch((error: unknown) => {
        this.firstError ??= { error };
      })
      .finally(() => {
        this.running--;
        this.wakeAll();
      });
  }

  /** Waits until nothing runs, then throws the first failure if there was one. */
  async drain(): Promise<void> {
    while (this.running > 0) await this.wait();
    if (this.firstError !== undefined) throw this.firstError.error;
  }

  private wait(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private wakeAll(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
