import { describe, expect, it } from 'vitest';
import { participantsFromAwareness } from './presence.js';

const states = (entries: Array<[number, Record<string, unknown>]>) => new Map(entries);

describe('participantsFromAwareness', () => {
  it('shows one avatar per account, however many tabs it has open', () => {
    const list = participantsFromAwareness(
      states([
        [1, { user: { id: 'u-maria', name: 'Maria Rossi', color: '#1d4ed8' } }],
        [2, { user: { id: 'u-jonas', name: 'Jonas Berg', color: '#be185d' }, cursor: null }],
        [3, { user: { id: 'u-maria', name: 'Maria Rossi', color: '#1d4ed8' } }],
      ]),
      99,
    );
    expect(list.map((p) => [p.name, p.sessions])).toEqual([
      ['Jonas Berg', 1],
      ['Maria Rossi', 2],
    ]);
  });

  it('keeps two accounts with the same name and colour apart', () => {
    const list = participantsFromAwareness(
      states([
        [1, { user: { id: 'u-1', name: 'Anna Novak', color: '#0f766e' } }],
        [2, { user: { id: 'u-2', name: 'Anna Novak', color: '#0f766e' } }],
      ]),
      0,
    );
    expect(list).toHaveLength(2);
  });

  it('puts the local person first and counts their other tabs as them', () => {
    const list = participantsFromAwareness(
      states([
        [1, { user: { id: 'u-ana', name: 'Ana', color: '#0f766e' } }],
        [7, { user: { id: 'u-zoe', name: 'Zoë', color: '#7e22ce' } }],
        [8, { user: { id: 'u-zoe', name: 'Zoë', color: '#7e22ce' } }],
      ]),
      42,
      'u-zoe',
    );
    expect(list[0]).toMatchObject({ name: 'Zoë', isSelf: true, sessions: 2 });
    expect(list[1]).toMatchObject({ name: 'Ana', isSelf: false });
  });

  it('falls back to name and colour for a state without an id', () => {
    const list = participantsFromAwareness(
      states([
        [1, { user: { name: 'Anna', color: '#0f766e' } }],
        [2, { user: { name: 'Anna', color: '#0F766E' } }],
        [3, { user: { name: 'Anna', color: '#b91c1c' } }],
      ]),
      0,
    );
    expect(list.map((p) => p.sessions)).toEqual([2, 1]);
  });

  it('skips clients without a valid user', () => {
    const list = participantsFromAwareness(
      states([
        [1, {}],
        [2, { user: { id: 'u', name: '', color: '#0f766e' } }],
        [3, { user: { id: 'u', name: 'Eve', color: 'javascript:x' } }],
        [4, { user: 'Mallory' }],
      ]),
      1,
    );
    expect(list).toEqual([]);
  });
});
