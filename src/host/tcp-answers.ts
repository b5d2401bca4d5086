import { createRequire } from 'node:module';

// node:net is required on first use: importing it at load brings in the streams machinery, which
// a converged plan otherwise never needs (docs/performance.md).
type NodeNet = typeof import('node:net');
let net: NodeNet | undefined;

/** Whether something answered on a TCP port: the address that did, or why none did. */
export type TcpAnswer = { ok: true; address: string } | { ok: false; reason: string };

/**
 * Opens a TCP connection to host:port and closes it at once: whether a file server listens
 * there, without signing in or sending anything. The name is resolved as every program on the
 * machine resolves it (getaddrinfo, which on a Mac also asks Bonjour for NAME.local), and
 * Node tries each address it gets in turn.
 */
export function tcpAnswers(host: string, port: number, timeoutMs: number): Promise<TcpAnswer> {
  return new Promise((resolve) => {
    net ??= createRequire(import.meta.url)('node:net') as NodeNet;
    const socket = net.connect({ host: host.replace(/^\[|\]$/g, ''), port, autoSelectFamily: true });
    const done = (answer: TcpAnswer): void => {
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done({ ok: false, reason: `no answer within ${Math.round(timeoutMs / 1000)} s` }));
    socket.once('connect', () => done({ ok: true, address: socket.remoteAddress ?? host }));
    socket.once('error', (e: NodeJS.ErrnoException) => done({ ok: false, reason: describe(e) }));
  });
}

function describe(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the name is not found on this network';
    case 'ECONNREFUSED':
      return 'the machine answers, but nothing listens on that port (file sharing off?)';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'no route to it from this network';
    case 'ETIMEDOUT':
      return 'no answer';
    default:
      return e.code ?? e.message;
  }
}
