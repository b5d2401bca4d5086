import os from 'node:os';
import { runDoctor } from '../../doctor/run-doctor.js';
import { hasProblems, type DoctorReport } from '../../doctor/types.js';
import { isProvisionError, type ProvisionError } from '../../errors.js';
import { createHost } from '../../host/create-host.js';
import { renderDoctorJson } from '../views/doctor-json.js';
import { renderDoctorText } from '../views/doctor-text.js';
import type { Style } from '../../text/style.js';
import type { CommonOptions } from '../../app/session.js';
import { outputColumns } from '../output-width.js';

export interface DoctorOptions extends CommonOptions {
  json?: boolean;
}

/**
 * `provision doctor`: checks what the plan needs on this machine and says how to fix what is
 * missing. Reads only, on the read-only host, like plan. Exit 0 when no check found a
 * problem (warnings allowed), 1 otherwise; an error that stops it (a --root that is not a
 * folder) is 1 as everywhere.
 */
export async function doctorCommand(opts: DoctorOptions, style: Style): Promise<number> {
  let report: DoctorReport;
  try {
    report = await runDoctor(opts, createHost('read-only'));
  } catch (e) {
    // With --json a script reads stdout whatever happens: an error that stops doctor before
    // its checks (a --root that is not a folder) is a failed machine check there too.
    if (opts.json && isProvisionError(e)) process.stdout.write(renderDoctorJson(stoppedBy(e)));
    throw e;
  }
  if (opts.json) process.stdout.write(renderDoctorJson(report));
  else process.stdout.write(renderDoctorText(report, style, outputColumns(process.stdout, process.env), report.root === undefined ? os.homedir() : undefined));
  return hasProblems(report) ? 1 : 0;
}

function stoppedBy(e: ProvisionError): DoctorReport {
  return {
    formatVersion: 1,
    users: [],
    homes: {},
    runningAsRoot: process.getuid?.() === 0,
    checks: [{ id: 'machine', title: 'This machine', status: 'problem', code: e.code, found: e.message, details: [], ...(e.hint === undefined ? {} : { fix: e.hint }) }],
    stopped: 'the machine could not be looked at, so nothing was checked',
  };
}
