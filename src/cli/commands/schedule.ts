/**
 * `provision schedule install|remove|status`: a per-user LaunchAgent that runs `provision apply
 * --yes` each time a volume mounts, so a folder whose drive was away is linked as soon as the
 * drive is back. install and remove change the user's home and launchd through the real host;
 * status reads through the read-only host, as plan does.
 */

import { createHost } from '../../host/create-host.js';
import { renderAgentStatusJson } from '../views/schedule-json.js';
import { renderAgentStatusText, renderInstallText, renderRemoveText, type ScheduleHeader } from '../views/schedule-text.js';
import type { Style } from '../../text/style.js';
import { agentStatus } from '../../schedule/agent-status.js';
import { installAgent, type InstallOutcome } from '../../schedule/install-agent.js';
import { removeAgent, type RemoveOutcome } from '../../schedule/remove-agent.js';
import { createScheduleContext, type ScheduleContext } from '../../schedule/schedule-context.js';
import type { CommonOptions } from '../../app/session.js';
import { outputColumns } from '../output-width.js';

export type ScheduleAction = 'install' | 'remove' | 'status';

export interface ScheduleOptions extends CommonOptions {
  json?: boolean;
}

export async function scheduleCommand(action: ScheduleAction, opts: ScheduleOptions, style: Style): Promise<number> {
  const reads = createHost('read-only');
  const sc = await createScheduleContext(opts, reads, action);
  const columns = outputColumns(process.stdout, process.env);
  if (!opts.json) process.stderr.write(style.dim(`Using ${sc.run.loaded.file} (${sc.run.configSource})\n`));
  switch (action) {
    case 'install': {
      const host = createHost('real');
      const outcomes: InstallOutcome[] = [];
      for (const u of sc.users) outcomes.push(await installAgent(host, sc, u));
      process.stdout.write(renderInstallText(header(sc), outcomes, style, columns));
      return 0;
    }
    case 'remove': {
      const host = createHost('real');
      const outcomes: RemoveOutcome[] = [];
      for (const u of sc.users) outcomes.push(await removeAgent(host, u));
      process.stdout.write(renderRemoveText(header(sc), outcomes, style, columns));
      return 0;
    }
    case 'status': {
      const statuses = [];
      for (const u of sc.users) statuses.push(await agentStatus(reads, u));
      process.stdout.write(
        opts.json ? renderAgentStatusJson({ ...header(sc), configFile: sc.run.loaded.file }, statuses) : renderAgentStatusText(header(sc), statuses, style, columns),
      );
      return 0;
    }
  }
}

function header(sc: ScheduleContext): ScheduleHeader {
  return { machine: sc.run.ctx.name, platform: sc.run.ctx.platform, root: sc.run.ctx.paths.root };
}
