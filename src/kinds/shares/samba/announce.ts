/**
 * Whether the Macs of the household will find this machine's Time Machine shares. A Mac finds
 * one by mDNS: smbd announces `_smb._tcp` and, for `fruit:time machine` shares, `_adisk._tcp`
 * through Avahi, and only when smbd was built with Avahi, avahi-daemon runs, and `multicast dns
 * register` is on (its default). Sources: Samba's source3/smbd/avahi_register.c and smb.conf(5);
 * avahi-daemon(8) for `--check` ("return 0 when avahi-daemon is already running"). Without the
 * announcement the share works, but no Mac lists it in Time Machine's settings and `NAME.local`
 * does not resolve: the plan blocks with the fix.
 *
 * Under --root the machine is not this computer, so its daemons cannot be asked: not checked,
 * and the plan says so.
 */

import type { Blocker, Warning } from '../../../engine/types.js';
import type { HostReads } from '../../../host/host.js';
import type { AnnounceObserved } from '../types.js';

export async function observeAnnounce(host: HostReads, underRoot: boolean, smbConf: string | undefined): Promise<AnnounceObserved> {
  if (underRoot) return { kind: 'not-checked' };
  let smbdWithAvahi: boolean | undefined;
  if (await host.hasCommand('smbd')) {
    const b = await host.query('smbd', ['-b']);
    smbdWithAvahi = b.exitCode === 0 ? /\bWITH_AVAHI_SUPPORT\b/.test(b.stdout) : undefined;
  }
  const daemonInstalled = await host.hasCommand('avahi-daemon');
  const daemonRunning = daemonInstalled && (await host.query('avahi-daemon', ['--check'])).exitCode === 0;
  return { kind: 'checked', smbdWithAvahi, daemonInstalled, daemonRunning, registerOff: smbConf !== undefined && mdnsRegisterOff(smbConf) };
}

/** Whether [global] sets `multicast dns register` to a false value (smb.conf(5): no, false, 0). */
export function mdnsRegisterOff(smbConf: string): boolean {
  let section = '';
  let off = false;
  for (const raw of smbConf.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('#') || line.startsWith(';')) continue;
    const head = /^\[([^\]]+)\]/.exec(line);
    if (head !== null) {
      section = (head[1] ?? '').trim().toLowerCase();
      continue;
    }
    const kv = /^([^=]+)=(.*)$/.exec(line);
    if (kv === null || section !== 'global') continue;
    if ((kv[1] ?? '').replace(/[\s_]/g, '').toLowerCase() !== 'multicastdnsregister') continue;
    off = /^(no|false|0)$/i.test((kv[2] ?? '').trim());
  }
  return off;
}

/** What stands between the Time Machine shares and the Macs that should find them. */
export function announceFindings(shares: readonly string[], o: AnnounceObserved | undefined): { blockers: Blocker[]; warnings: Warning[] } {
  const blockers: Blocker[] = [];
  const warnings: Warning[] = [];
  if (shares.length === 0 || o === undefined) return { blockers, warnings };
  const which = `Time Machine share${shares.length === 1 ? '' : 's'} ${shares.join(', ')}`;
  if (o.kind === 'not-checked') {
    warnings.push({ code: 'AVAHI_NOT_CHECKED', message: `whether Avahi announces the ${which} to the Macs is checked on the machine itself, not under --root` });
    return { blockers, warnings };
  }
  const unseen = `no Mac will find the ${which}: Samba announces them over mDNS through Avahi`;
  if (!o.daemonInstalled) {
    blockers.push({ code: 'AVAHI_MISSING', reason: `${unseen}, and avahi-daemon is not installed`, fix: 'install it (Debian and Raspberry Pi OS: sudo apt-get install avahi-daemon; it starts at once), then plan again' });
  } else if (!o.daemonRunning) {
    blockers.push({ code: 'AVAHI_NOT_RUNNING', reason: `${unseen}, and avahi-daemon is not running`, fix: 'start it, and at every boot: sudo systemctl enable --now avahi-daemon; then plan again' });
  }
  if (o.smbdWithAvahi === false) {
    blockers.push({
      code: 'SAMBA_WITHOUT_AVAHI',
      reason: `${unseen}, and this smbd was built without Avahi (smbd -b does not list WITH_AVAHI_SUPPORT)`,
      fix: "install a Samba built with Avahi (Debian's is), or announce the share with an Avahi service file for _adisk._tcp in /etc/avahi/services (docs/kinds.md, Being found)",
    });
  }
  if (o.registerOff) {
    blockers.push({ code: 'SAMBA_MDNS_OFF', reason: `${unseen}, and smb.conf turns that off (multicast dns register = no)`, fix: 'remove that line from [global] in /etc/samba/smb.conf (it is on by default), then plan again' });
  }
  return { blockers, warnings };
}
