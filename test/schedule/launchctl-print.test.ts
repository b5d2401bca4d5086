import { describe, expect, it } from 'vitest';
import { parsePrintedJob } from '../../src/schedule/launchctl.js';

/** A loaded agent as recent macOS prints it (the layout of published transcripts; values made up). */
const RUNNING = [
  'gui/501/org.provision.apply = {',
  '\tactive count = 1',
  '\tpath = /Users/alex/Library/LaunchAgents/org.provision.apply.plist',
  '\ttype = LaunchAgent',
  '\tstate = running',
  '',
  '\tprogram = /opt/homebrew/bin/node',
  '\targuments = {',
  '\t\t/opt/homebrew/bin/node',
  '\t\t/opt/homebrew/lib/node_modules/provision/bin/provision.js',
  '\t\tapply',
  '\t\t--yes',
  '\t\t-c',
  '\t\t/Users/alex/dotfiles/backups yaml/backups.yaml',
  '\t}',
  '',
  '\tstdout path = /Users/alex/Library/Logs/provision/apply.log',
  '\tenvironment = {',
  '\t\tPATH => /usr/bin:/bin:/usr/sbin:/sbin',
  '\t}',
  '',
  '\tdomain = gui/501 [100003]',
  '\truns = 7',
  '\tpid = 4242',
  '\tlast exit code = 1',
  '',
  '\tevent triggers = {',
  '\t\torg.provision.apply.1 => {',
  '\t\t\tstate = 0',
  '\t\t}',
  '\t}',
  '\tendpoints = {',
  '\t\tstate = active',
  '\t}',
  '}',
  '',
].join('\n');

describe('launchctl print parsing', () => {
  it('reads the first-level keys and the arguments block', () => {
    expect(parsePrintedJob(RUNNING)).toEqual({
      kind: 'loaded',
      path: '/Users/alex/Library/LaunchAgents/org.provision.apply.plist',
      state: 'running',
      arguments: [
        '/opt/homebrew/bin/node',
        '/opt/homebrew/lib/node_modules/provision/bin/provision.js',
        'apply',
        '--yes',
        '-c',
        '/Users/alex/dotfiles/backups yaml/backups.yaml',
      ],
      runs: 7,
      lastExitCode: 1,
      pid: 4242,
    });
  });

  it('a job that never exited, with no pid and no arguments block', () => {
    const text = 'gui/501/x = {\n\tstate = not running\n\tprogram = /bin/true\n\truns = 0\n\tlast exit code = (never exited)\n}\n';
    expect(parsePrintedJob(text)).toEqual({
      kind: 'loaded',
      path: undefined,
      state: 'not running',
      arguments: undefined,
      runs: 0,
      lastExitCode: undefined,
      pid: undefined,
    });
  });

  it('nested blocks do not override first-level keys', () => {
    const job = parsePrintedJob(RUNNING);
    expect(job.kind === 'loaded' && job.state).toBe('running');
  });
});
