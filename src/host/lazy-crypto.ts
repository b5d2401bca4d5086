import { createRequire } from 'node:module';

type NodeCrypto = typeof import('node:crypto');
let loaded: NodeCrypto | undefined;

/**
 * node:crypto, loaded on first use. Loading it compiles some twenty of Node's internal modules,
 * a large part of a converged plan's start, which needs none of them: only writes (temporary
 * names), fingerprints and saved plans do.
 */
export function nodeCrypto(): NodeCrypto {
  loaded ??= createRequire(import.meta.url)('node:crypto') as NodeCrypto;
  return loaded;
}
