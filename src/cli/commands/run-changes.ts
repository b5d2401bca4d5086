import { isProvisionError } from '../../errors.js';
import { createHost } from '../../host/create-host.js';
import { runApply, type ApplyReport, type ApplyRequest } from '../../app/apply.js';
import { openSession, type CommonOptions } from '../../app/session.js';
import type { Style } from '../../text/style.js';
import { renderApplyJson } from '../views/apply-json.js';
import { textApplyView } from '../views/apply-view.js';

/** What apply and restore tell runChanges: the use case's request, without the signal, and how to print. */
export type ChangeRun = Omit<ApplyRequest, 'signal'> & {
  /** The command's options: the session is opened from them. */
  options: CommonOptions;
  /** Print the result as JSON on stdout (everything for people goes to stderr then). */
  json?: boolean;
};

/**
 * The CLI side of apply and restore: opens the session, turns Ctrl-C into a stop at the next
 * safe point, runs the use case (app/apply.ts) with the text view, and with --json prints one
 * JSON document (cli/views/apply-json.ts) on stdout whatever happens.
 */
export async function runChanges(spec: ChangeRun, style: Style): Promise<number> {
  const report: ApplyReport = { command: spec.verb, outcomes: [] };
  const controller = new AbortController();
  const onSigint = (): void => {
    process.stderr.write('\nStopping at the next safe point; the original data stays where it is...\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    const reads = createHost('read-only');
    const run = await openSession(spec.options, reads);
    const { options: _options, json: _json, ...request } = spec;
    await runApply(run, { ...request, signal: controller.signal }, textApplyView(spec.verb, style, spec.json === true), { reads, host: createHost('real') }, report);
    if (spec.json) process.stdout.write(renderApplyJson(report));
    return 0;
  } catch (e) {
    if (spec.json && isProvisionError(e)) process.stdout.write(renderApplyJson({ ...report, error: e }));
    throw e;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
