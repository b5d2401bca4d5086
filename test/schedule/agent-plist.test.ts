import plist from 'plist';
import { describe, expect, it } from 'vitest';
import { agentJob, AGENT_LABEL, CHECK_AGENT_LABEL, programArguments, type AgentPlace } from '../../src/schedule/agent-job.js';
import { differingKeys, readAgentPlist, renderAgentPlist } from '../../src/schedule/agent-plist.js';
import { isProvisionError } from '../../src/errors.js';

const RECORD = '/Users/alex/Library/Logs/provision/scheduled-runs.json';
const PLACE: AgentPlace = {
  user: 'alex',
  kind: 'apply',
  label: AGENT_LABEL,
  record: { machine: RECORD, host: RECORD },
  home: { machine: '/Users/alex', host: '/Users/alex' },
  plist: { machine: `/Users/alex/Library/LaunchAgents/${AGENT_LABEL}.plist`, host: `/Users/alex/Library/LaunchAgents/${AGENT_LABEL}.plist` },
  log: { machine: '/Users/alex/Library/Logs/provision/apply.log', host: '/Users/alex/Library/Logs/provision/apply.log' },
};
const CHECK_PLACE: AgentPlace = {
  ...PLACE,
  kind: 'check',
  label: CHECK_AGENT_LABEL,
  plist: { machine: `/Users/alex/Library/LaunchAgents/${CHECK_AGENT_LABEL}.plist`, host: `/Users/alex/Library/LaunchAgents/${CHECK_AGENT_LABEL}.plist` },
  log: { machine: '/Users/alex/Library/Logs/provision/check.log', host: '/Users/alex/Library/Logs/provision/check.log' },
};
const COMMAND = { node: '/opt/homebrew/bin/node', provision: '/opt/provision/bin/provision.js', config: '/Users/alex/dot files/backups.yaml', machine: 'imac', user: 'alex' };

describe('the agent plist', () => {
  it('is an Apple XML plist, tab-indented, that parses back to the job', async () => {
    const job = agentJob(PLACE, COMMAND);
    const text = await renderAgentPlist(job);
    expect(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n<plist version="1.0">\n\t<dict>\n')).toBe(true);
    expect(text.endsWith('</plist>\n')).toBe(true);
    expect(plist.parse(text)).toEqual({
      Label: 'org.provision.apply',
      ProgramArguments: ['/opt/homebrew/bin/node', '/opt/provision/bin/provision.js', 'apply', '--yes', '--scheduled', '-c', '/Users/alex/dot files/backups.yaml', '--machine', 'imac', '--user', 'alex'],
      StartOnMount: true,
      RunAtLoad: false,
      ThrottleInterval: 30,
      StandardOutPath: '/Users/alex/Library/Logs/provision/apply.log',
      StandardErrorPath: '/Users/alex/Library/Logs/provision/apply.log',
      EnvironmentVariables: { PATH: '/usr/bin:/bin:/usr/sbin:/sbin' },
    });
    // The same job, the same bytes: what lets install leave a current plist alone.
    expect(await renderAgentPlist(agentJob(PLACE, { ...COMMAND }))).toBe(text);
  });

  it('the daily check runs check --notify at a time of day (StartCalendarInterval), not on mounts', async () => {
    expect(plist.parse(await renderAgentPlist(agentJob(CHECK_PLACE, COMMAND)))).toEqual({
      Label: 'org.provision.check',
      ProgramArguments: ['/opt/homebrew/bin/node', '/opt/provision/bin/provision.js', 'check', '--notify', '--scheduled', '-c', '/Users/alex/dot files/backups.yaml', '--machine', 'imac', '--user', 'alex'],
      StartCalendarInterval: { Hour: 10, Minute: 30 },
      RunAtLoad: false,
      StandardOutPath: '/Users/alex/Library/Logs/provision/check.log',
      StandardErrorPath: '/Users/alex/Library/Logs/provision/check.log',
      EnvironmentVariables: { PATH: '/usr/bin:/bin:/usr/sbin:/sbin' },
    });
  });

  it('passes --root on when install was given one', () => {
    expect(programArguments('apply', { ...COMMAND, root: '/tmp/mac' }).slice(-2)).toEqual(['--root', '/tmp/mac']);
    expect(programArguments('apply', COMMAND)).not.toContain('--root');
  });

  it('escapes what XML needs escaped, and refuses what a plist cannot hold', async () => {
    const odd = await renderAgentPlist(agentJob(PLACE, { ...COMMAND, config: '/Users/alex/<a & b>/backups.yaml' }));
    expect((await readAgentPlist(odd))?.programArguments?.[6]).toBe('/Users/alex/<a & b>/backups.yaml');
    const bad = await renderAgentPlist(agentJob(PLACE, { ...COMMAND, config: '/Users/alex/\u0007/backups.yaml' })).catch((e: unknown) => e);
    expect(isProvisionError(bad) && bad.code).toBe('USAGE');
  });

  it('reads an installed plist back, and names the keys that differ from the job', async () => {
    const job = agentJob(PLACE, COMMAND);
    const installed = await readAgentPlist(await renderAgentPlist(agentJob(PLACE, { ...COMMAND, node: '/usr/local/bin/node' })));
    expect(installed?.label).toBe(AGENT_LABEL);
    expect(installed?.programArguments?.[0]).toBe('/usr/local/bin/node');
    expect(installed === undefined ? [] : differingKeys(installed, job)).toEqual(['ProgramArguments']);
    const extra = await readAgentPlist(plist.build({ ...job, KeepAlive: true }));
    expect(extra === undefined ? [] : differingKeys(extra, job)).toEqual(['KeepAlive']);
  });

  it('anything else is not an agent: undefined, or no Label', async () => {
    expect(await readAgentPlist('not a plist')).toBeUndefined();
    expect(await readAgentPlist(plist.build(['a', 'b']))).toBeUndefined();
    expect((await readAgentPlist(plist.build({ Program: '/bin/true' })))?.label).toBeUndefined();
  });
});
