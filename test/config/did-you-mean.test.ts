import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance } from '../../src/config/check/did-you-mean.js';

describe('didYouMean', () => {
  it('counts edits case-insensitively, a swap of neighbours as one', () => {
    expect(editDistance('platfrom', 'platform')).toBe(1);
    expect(editDistance('Archive', 'archive')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('suggests the closest candidate when it is close enough', () => {
    expect(didYouMean('platfrom', ['hostname', 'platform', 'users', 'drives'])).toBe('platform');
    expect(didYouMean('Archive', ['archive', 'usb'])).toBe('archive');
    expect(didYouMean('alx', ['alex', 'sam'])).toBe('alex');
    expect(didYouMean('windoze', ['macos', 'windows', 'linux'])).toBe('windows');
  });

  it('stays quiet for unrelated words, and never suggests the word itself', () => {
    expect(didYouMean('colour', ['hostname', 'platform', 'users', 'drives'])).toBeUndefined();
    expect(didYouMean('pc', ['imac'])).toBeUndefined();
    expect(didYouMean('alex', ['alex'])).toBeUndefined();
    expect(didYouMean('x', [])).toBeUndefined();
  });
});
