import { describe, expect, it } from 'vitest';
import { matchMachine } from '../../src/machine/match-machine.js';

const machines = {
  imac: { hostname: 'iMac' },
  mbp: { hostname: ['Annas-MacBook-Pro', 'annas-mbp.home.lan'] },
  nas: { hostname: 'nas.home.lan' },
};

describe('matchMachine', () => {
  it('matches a declared hostname exactly, ignoring case', () => {
    expect(matchMachine(machines, ['IMAC'])).toEqual({ ok: true, machine: 'imac' });
  });

  it('matches any of several declared hostnames', () => {
    expect(matchMachine(machines, ['annas-macbook-pro'])).toEqual({ ok: true, machine: 'mbp' });
    expect(matchMachine(machines, ['ANNAS-MBP.home.lan'])).toEqual({ ok: true, machine: 'mbp' });
  });

  it('matches a name whose first DNS label is the declared hostname', () => {
    expect(matchMachine(machines, ['imac.local'])).toEqual({ ok: true, machine: 'imac' });
    expect(matchMachine(machines, ['imac.local.'])).toEqual({ ok: true, machine: 'imac' });
  });

  it('matches a short name against a fully qualified declaration', () => {
    expect(matchMachine(machines, ['NAS'])).toEqual({ ok: true, machine: 'nas' });
  });

  it('does not match names that only share a label with different domains', () => {
    expect(matchMachine(machines, ['nas.office.lan'])).toEqual({
      ok: false,
      reason: 'none',
      candidates: ['imac', 'mbp', 'nas'],
    });
  });

  it('tries every name the computer goes by', () => {
    expect(matchMachine(machines, ['Anna’s MacBook Pro', 'Annas-MacBook-Pro'])).toEqual({ ok: true, machine: 'mbp' });
  });

  it('prefers an exact match over a first-label match', () => {
    const m = { short: { hostname: 'imac' }, full: { hostname: 'imac.home.lan' } };
    expect(matchMachine(m, ['imac.home.lan'])).toEqual({ ok: true, machine: 'full' });
    expect(matchMachine(m, ['imac'])).toEqual({ ok: true, machine: 'short' });
  });

  it('reports ambiguity with the machines that matched, in declaration order', () => {
    const m = { a: { hostname: 'studio' }, b: { hostname: 'other' }, c: { hostname: ['x', 'Studio'] } };
    expect(matchMachine(m, ['studio'])).toEqual({ ok: false, reason: 'ambiguous', candidates: ['a', 'c'] });
  });

  it('reports ambiguity when different names match different machines', () => {
    expect(matchMachine(machines, ['iMac', 'nas.home.lan'])).toEqual({
      ok: false,
      reason: 'ambiguous',
      candidates: ['imac', 'nas'],
    });
  });

  it('reports none, listing the declared machines, when nothing matches', () => {
    expect(matchMachine(machines, ['linux-box'])).toEqual({ ok: false, reason: 'none', candidates: ['imac', 'mbp', 'nas'] });
    expect(matchMachine(machines, [])).toEqual({ ok: false, reason: 'none', candidates: ['imac', 'mbp', 'nas'] });
    expect(matchMachine({}, ['imac'])).toEqual({ ok: false, reason: 'none', candidates: [] });
  });

  it('ignores empty names and empty declared hostnames', () => {
    expect(matchMachine({ a: { hostname: '' }, b: { hostname: [''] } }, ['', '  '])).toEqual({
      ok: false,
      reason: 'none',
      candidates: ['a', 'b'],
    });
  });
});
