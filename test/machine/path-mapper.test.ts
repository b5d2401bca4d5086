import { describe, expect, it } from 'vitest';
import { createPathMapper } from '../../src/machine/path-mapper.js';

describe('path mapper', () => {
  it('maps Mac paths under --root and resolves links as the machine would', () => {
    const m = createPathMapper('macos', '/sandbox');
    expect(m.toHost('/Users/alex/Library')).toBe('/sandbox/Users/alex/Library');
    expect(m.resolveLinkTarget('/Users/alex/Library/x/Backup', '/Volumes/A/y')).toBe('/Volumes/A/y');
    expect(m.resolveLinkTarget('/Users/alex/Library/x/Backup', '../../z')).toBe('/Users/alex/z');
    expect(m.key('/Volumes/Archive/MobileSync/ALEX/')).toBe('/volumes/archive/mobilesync/alex');
  });

  it('maps Windows drive letters to folders under --root', () => {
    const m = createPathMapper('windows', '/sandbox');
    expect(m.toHost('C:\\Users\\sam\\Apple')).toBe('/sandbox/C/Users/sam/Apple');
    expect(m.toHost('e:\\MobileSync\\sam')).toBe('/sandbox/E/MobileSync/sam');
    expect(m.resolveLinkTarget('C:\\Users\\sam\\Apple\\MobileSync\\Backup', '\\\\?\\E:\\MobileSync\\sam')).toBe('E:\\MobileSync\\sam');
    expect(m.key('E:\\MobileSync\\Sam')).toBe(m.key('e:\\mobilesync\\sam\\'));
  });

  it('is the identity without --root, and case-sensitive on Linux', () => {
    expect(createPathMapper('macos', undefined).toHost('/Users/a')).toBe('/Users/a');
    const l = createPathMapper('linux', undefined);
    expect(l.key('/srv/A')).not.toBe(l.key('/srv/a'));
  });
});
