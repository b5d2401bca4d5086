import os from 'node:os';
import { runDoctor } from '../../doctor/run-doctor.js';
import { hasProblems } from '../../doctor/types.js';
import { createHost } from '../../host/create-host.js';
import { renderDoctorJson } from '../../render/doctor-json.js';
import { renderDoctorText } from '../../render/doctor-text.js';
import type { Style } from '../../render/style.js';
import type { CommonOptions } from '../run-context.js';
import { outputColumns } from './status.js';

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
  const report = await runDoctor(opts, createHost('read-only'));
  if (opts.json) process.stdout.write(renderDoctorJson(report));
  else process.stdout.write(renderDoctorText(report, style, outputColumns(process.stdout, process.env), report.root === undefined ? os.homedir() : undefined));
  return hasProblems(report) ? 1 : 0;
}
