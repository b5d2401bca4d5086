import { describe, expect, it } from 'vitest';
import { announceFindings, mdnsRegisterOff } from '../../../../src/kinds/shares/samba/announce.js';
import type { AnnounceObserved } from '../../../../src/kinds/shares/types.js';

const READY: AnnounceObserved = { kind: 'checked', smbdWithAvahi: true, daemonInstalled: true, daemonRunning: true, registerOff: false };
const codes = (o: AnnounceObserved | undefined, shares = ['Backups']): string[] => announceFindings(shares, o).blockers.map((b) => b.code);

describe('will the Macs find the Time Machine shares (Avahi)', () => {
  it('nothing to say when avahi-daemon runs and smbd registers with it, or when no share is offered to Time Machine', () => {
    expect(codes(READY)).toEqual([]);
    expect(codes({ ...READY, daemonRunning: false }, [])).toEqual([]);
  });

  it('blocks, with the fix, when the daemon is missing or stopped, smbd lacks Avahi, or smb.conf turns registering off', () => {
    expect(codes({ ...READY, daemonInstalled: false, daemonRunning: false })).toEqual(['AVAHI_MISSING']);
    expect(codes({ ...READY, daemonRunning: false })).toEqual(['AVAHI_NOT_RUNNING']);
    expect(codes({ ...READY, smbdWithAvahi: false })).toEqual(['SAMBA_WITHOUT_AVAHI']);
    expect(codes({ ...READY, registerOff: true })).toEqual(['SAMBA_MDNS_OFF']);
    const stopped = announceFindings(['Backups'], { ...READY, daemonRunning: false }).blockers[0];
    expect(stopped?.fix).toContain('sudo systemctl enable --now avahi-daemon');
    expect(stopped?.reason).toContain('no Mac will find the Time Machine share Backups');
  });

  it('under --root it is not checked, and the plan says so', () => {
    const r = announceFindings(['Backups'], { kind: 'not-checked' });
    expect(r.blockers).toEqual([]);
    expect(r.warnings.map((w) => w.code)).toEqual(['AVAHI_NOT_CHECKED']);
  });

  it('reads multicast dns register from [global] only, in any spelling smb.conf accepts', () => {
    expect(mdnsRegisterOff('[global]\n   multicast dns register = no\n')).toBe(true);
    expect(mdnsRegisterOff('[global]\nMulticast DNS Register=False\n')).toBe(true);
    expect(mdnsRegisterOff('[global]\n# multicast dns register = no\n')).toBe(false);
    expect(mdnsRegisterOff('[global]\nmulticast dns register = yes\n[share]\nmulticast dns register = no\n')).toBe(false);
    expect(mdnsRegisterOff('[global]\nworkgroup = WORKGROUP\n')).toBe(false);
  });
});
