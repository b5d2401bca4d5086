import type { HostReads } from '../../host/host.js';
import type { ServerAnswer, UnmanagedDestination } from './types.js';

/** Long enough for a sleeping NAS or a Wi-Fi hop; each name is tried at the same time. */
const ANSWER_TIMEOUT_MS = 4000;

/**
 * Whether a server provision does not manage answers on its file-sharing port, under any of the
 * names it is declared by: the only thing this Mac can check before Time Machine is given the
 * share (whether the share exists, offers Time Machine and takes the account's password is
 * known only when tmutil signs in to it).
 */
export async function serverAnswer(host: HostReads, u: UnmanagedDestination): Promise<ServerAnswer> {
  const answers = await Promise.all(u.hosts.map(async (h) => ({ host: h, answer: await host.tcpAnswers(h, u.port, ANSWER_TIMEOUT_MS) })));
  for (const { host: h, answer } of answers) if (answer.ok) return { ok: true, host: h, address: answer.address };
  return { ok: false, tried: answers.map(({ host: h, answer }) => ({ host: h, reason: answer.ok ? 'answers' : answer.reason })) };
}
