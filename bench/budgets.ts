/**
 * The budgets the issues set (docs/performance.md), checked on every Node version measured:
 * each benchmark records what it measured against its bar, and main.ts prints one table at the
 * end, a column per version. Over a budget is reported, not a failure of the run: a budget is a
 * goal measured on a shared, noisy machine; a wrong result (a tree not kept) is the failure.
 */

import { renderTable } from './table.js';

export interface BudgetResult {
  runtime: string;
  budget: string;
  /** What was measured: a ratio to a floor, or seconds when the bar is a time. */
  value: number;
  bar: number;
  unit: 'x' | 's';
}

export class Budgets {
  private readonly results: BudgetResult[] = [];

  record(result: BudgetResult): void {
    if (Number.isFinite(result.value)) this.results.push(result);
  }

  get size(): number {
    return this.results.length;
  }

  /** One row per budget, in the order first measured; one column per runtime. */
  render(): string {
    const runtimes = [...new Set(this.results.map((r) => r.runtime))];
    const budgets = [...new Set(this.results.map((r) => r.budget))];
    const rows = budgets.map((budget) => {
      const first = this.results.find((r) => r.budget === budget);
      const bar = first === undefined ? '' : show(first.bar, first.unit);
      const cells = runtimes.map((runtime) => {
        const r = this.results.find((x) => x.budget === budget && x.runtime === runtime);
        return r === undefined ? '-' : `${show(r.value, r.unit)} ${r.value <= r.bar ? 'within' : 'OVER'}`;
      });
      return [budget, bar, ...cells];
    });
    return renderTable(['budget', 'bar', ...runtimes], rows);
  }
}

function show(value: number, unit: 'x' | 's'): string {
  return unit === 'x' ? `${value.toFixed(2)}x` : `${value.toFixed(3)} s`;
}
