import type { DesiredMachine } from '../../desired/desired-machine.js';
import { smbUrl } from './match.js';
import type { TimeMachineDesired, TmDestinationDesired } from './types.js';

/**
 * The host name a Mac reaches another machine by: its first declared name, as a Bonjour name
 * (NAME.local, spaces made dashes) unless it already has a domain. ASSUMPTION: the machines
 * find each other over Bonjour, which macOS and Samba (with Avahi) both announce.
 */
export function smbHost(names: readonly string[]): string {
  const first = names[0] ?? '';
  return first.includes('.') ? first : `${first.replace(/\s+/g, '-')}.local`;
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
    return { label: `share ${share.machine}/${share.name}`, target: smbUrl(share.account, host, share.name), match: { user: share.account, host, share: share.name, hosts }, ...quota };
  });
  return [{ id: 'timemachine', machine: machine.name, destinations, exclusive: tm.exclusive }];
}
