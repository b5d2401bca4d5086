/**
 * Declarations of N machines with the same five users each, for the scale benchmark. They are
 * valid: each machine overrides every user's folders with its own (MobileSync/<machine>/<user>,
 * Photos/<machine>/<user>), so no two users share a folder and none sits inside another's, and
 * each machine has its own host name.
 */

export const SCALE_USERS = ['alex', 'sam', 'kim', 'lee', 'max'] as const;

export function machineName(i: number): string {
  return `m-${String(i).padStart(4, '0')}`;
}

export function householdDeclaration(machines: number): string {
  const lines = ['# yaml-language-server: $schema=../../schemas/backups.schema.json', 'version: 1', 'drives:', '  archive:', '    volume: Archive', 'users:'];
  for (const u of SCALE_USERS) {
    lines.push(`  ${u}:`, `    mobilesync: { drive: archive, path: MobileSync/${u} }`, `    photos: { drive: archive, path: Photos/${u} }`);
  }
  lines.push('machines:');
  for (let i = 1; i <= machines; i++) {
    const m = machineName(i);
    lines.push(`  ${m}:`, `    hostname: [Mac-${String(i).padStart(4, '0')}, ${m}.example.lan]`, '    platform: macos', '    users:');
    for (const u of SCALE_USERS) {
      lines.push(`      ${u}: { mobilesync: { path: MobileSync/${m}/${u} }, photos: { path: Photos/${m}/${u} } }`);
    }
  }
  return lines.join('\n') + '\n';
}
