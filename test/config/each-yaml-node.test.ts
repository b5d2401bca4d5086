import { isAlias, isMap, isScalar, isSeq, parseDocument, visit, type Node } from 'yaml';
import { describe, expect, it } from 'vitest';
import { eachYamlNode } from '../../src/config/read/each-yaml-node.js';

/** A node as text: its kind, where it starts, and whether it is a key. */
const describeNode = (node: Node, isKey: boolean): string =>
  `${isScalar(node) ? 'scalar' : isAlias(node) ? 'alias' : isMap(node) ? 'map' : isSeq(node) ? 'seq' : 'other'}@${node.range?.[0] ?? -1}${isKey ? ' key' : ''}`;

/** What yaml's own visit reaches, in its order, as eachYamlNode reports it. */
function byYamlVisit(text: string): string[] {
  const seen: string[] = [];
  visit(parseDocument(text), {
    Node(key, node) {
      seen.push(describeNode(node, key === 'key'));
    },
  });
  return seen;
}

function byEachYamlNode(text: string): string[] {
  const seen: string[] = [];
  eachYamlNode(parseDocument(text), (node, isKey) => seen.push(describeNode(node, isKey)));
  return seen;
}

describe('eachYamlNode', () => {
  const documents = [
    'version: 1\n',
    'just a scalar\n',
    '',
    `drives:
  archive: &a { volume: Archive, letters: [E, F] }
users:
  alex: { mobilesync: { drive: archive, path: MobileSync/alex } }
  sam: ~
machines:
  imac: { hostname: [iMac, "imac.lan"], users: [alex, sam], drives: *a }
  pc:
    users:
      - alex
      - { sam: { mobilesync: false } }
    empty:
`,
    '[a: 1, b, [c, {d: e}]]\n',
    '? [complex, key]\n: value\n? { another: key }\n: ~\n',
    'base: &b { x: 1 }\nmerged: { <<: *b, y: 2 }\nlist: [*b, *b]\n',
  ];

  it.each(documents.map((d) => [JSON.stringify(d).slice(0, 40), d]))('reaches what yaml visit reaches, in the same order: %s', (_name, text) => {
    expect(byEachYamlNode(text)).toEqual(byYamlVisit(text));
  });

  it('reaches nothing in an empty document, and every node of a large one', () => {
    expect(byEachYamlNode('')).toEqual([]);
    const large = `machines:\n${Array.from({ length: 500 }, (_, i) => `  m${i}: { hostname: [H${i}, h${i}.lan], users: [alex, sam] }`).join('\n')}\n`;
    const nodes = byEachYamlNode(large);
    expect(nodes).toEqual(byYamlVisit(large));
    // The top mapping, its key and the machines' mapping; per machine its name, its mapping, 2
    // keys, a list of 2 hostnames and a list of 2 users.
    expect(nodes).toHaveLength(3 + 500 * 10);
  });
});
