import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { volumeUuid } from '../../src/drives/identity.js';
import { createExecHost } from '../machine/exec-host.js';
import { createSimSandbox, SIM_BIN, type SimSandbox } from './run-sim.js';

const TOOL = '../windows-bin/mountvol';
const GUID = '{2ECA078D-5CBC-43D3-AFF8-7E8511F60D0E}';

describe('sim mountvol', () => {
  let sb: SimSandbox;
  beforeEach(async () => {
    sb = await createSimSandbox();
    await sb.writeState({ mountvol: { volumes: { 'E:\\': GUID } } });
  });
  afterEach(async () => {
    await sb.remove();
  });

  it('lists the volume name mounted at a letter with /L, in the \\\\?\\Volume{GUID}\\ form, any case and trailing separator', async () => {
    for (const at of ['E:\\', 'e:', 'E:']) {
      expect(await sb.run(TOOL, [at, '/L'])).toEqual({ exitCode: 0, stdout: `    \\\\?\\Volume${GUID}\\\n`, stderr: '' });
    }
    expect((await sb.run(TOOL, ['E:\\', '/l'])).exitCode).toBe(0);
  });

  it('a path with no volume mounted there (a plain folder, a network letter) is refused, exit 1; bad usage prints the usage', async () => {
    const r = await sb.run(TOOL, ['Z:\\', '/L']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect((await sb.run(TOOL, ['E:\\'])).stderr).toContain('MOUNTVOL [drive:]path /L');
  });

  it("is what provision reads a Windows drive's identity from: the GUID, nothing for a letter without a volume", async () => {
    const host = createExecHost({ PATH: `${path.join(SIM_BIN, '..', 'windows-bin')}:${process.env['PATH'] ?? ''}`, PROVISION_SIM_STATE: sb.statePath });
    expect(await volumeUuid(host, 'E:\\')).toBe(GUID);
    expect(await volumeUuid(host, 'Z:\\')).toBeUndefined();
  });
});
