import type { DesiredMachine } from '../../desired/desired-machine.js';
import { smbUrl } from './match.js';
import type { TimeMachineDesired, TmDestinationDesired } from './types.js';

/** The TCP ports file servers listen on: SMB over TCP (RFC 1001/1002's successor, port 445) and AFP over TCP (548), IANA's assignments. */
const FILE_SHARING_PORTS = { smb: 445, afp: 548 } as const;

/**
 * The host name a Mac reaches another machine by: its first declared name, as a Bonjour name
 * (NAME.local, spaces made dashes) unless it already has a domain. ASSUMPTION: the machines
 * find each other over Bonjour, which macOS and Samba (with Avahi) both announce.
 */
export function smbHost(names: readonly string[]): string {
  const first = names[0] ?? '';
  return first.includes('.') || first.includes(':') ? first : `${first.replace(/\s+/g, '-')}.local`;
}

/** The machine's declared Time Machine set-up; none for a machine without timemachine: or not a Mac. */
export function desireTimeMachine(machine: DesiredMachine): TimeMachineDesired[] {
  const tm = machine.timemachine;
  if (tm === undefined || machine.platform !== 'macos') return [];
  const destinations: TmDestinationDesired[] = tm.destinations.map((d) => {
    const quota = d.quotaGB === undefined ? {} : { quotaGB: d.quotaGB };
    if ('drive' in d) {
      // setdestination gets the mount point as this process sees it (the same on a real Mac).
      const mp = d.drive.mountPoint;
      return { label: `drive ${d.drive.name}`, target: mp.host, match: { mountPoint: mp.host }, drive: d.drive, ...quota };
    }
    const { share } = d;
    const host = smbHost(share.hostnames);
    // Every declared name of the server counts when reading what this Mac has (relation() in match.ts).
    const hosts = [...share.hostnames];
    const afp = share.protocol === 'afp' ? { protocol: 'afp' as const } : {};
    const match = { user: share.account, host, share: share.name, hosts, ...afp };
    const label = `share ${share.machine}/${share.name}`;
    const target = smbUrl(share.account, host, share.name, share.protocol);
    if (share.unmanaged === undefined) return { label, target, match, ...quota };
    const { sizeGB, clients } = share.unmanaged;
    // The names to try: as a Mac would reach each (a bare Bonjour name as NAME.local).
    const tryHosts = [...new Set(share.hostnames.map((h) => smbHost([h])))];
    const unmanaged = { server: share.machine, protocol: share.protocol, hosts: tryHosts, port: FILE_SHARING_PORTS[share.protocol], account: share.account, clients, ...(sizeGB === undefined ? {} : { sizeGB }) };
    return { label, target, match, unmanaged, ...quota };
  });
  return [{ id: 'timemachine', machine: machine.name, destinations, exclusive: tm.exclusive }];
}
