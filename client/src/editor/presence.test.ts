import { describe, expect, it } from 'vitest';
import { participantsFromAwareness } from './presence.js';

const states = (entries: Array<[number, Record<string, unknown>]>) => new Map(entries);

describe('participantsFromAwareness', () => {
  it('shows one avatar per person, however many tabs they have open', () => {
    const list = participantsFromAwareness(
      states([
        [1, { user: { name: 'Maria Rossi', color: '#1d4ed8' } }],
        [2, { user: { name: 'Jonas Berg', color: '#be185d' }, cursor: null }],
        [3, { user: { name: 'Maria Rossi', color: '#1D4ED8' } }],
      ]),
      99,
    );
    expect(list.map((p) => [p.name, p.sessions])).toEqual([
      ['Jonas Berg', 1],
      ['Maria Rossi', 2],
    ]);
  });

  it('puts the local person first and marks them', () => {
    const list = participantsFromAwareness(
      states([
        [1, { user: { name: 'Ana', color: '#0f766e' } }],
        [7, { user: { name: 'Zoë', color: '#7e22ce' } }],
      ]),
      7,
    );
    expect(list[0]).toMatchObject({ name: 'Zoë', isSelf: true });
    expect(list[1]).toMatchObject({ name: 'Ana', isSelf: false });
  });

  it('skips clients without a valid user', () => {
    const list = participantsFromAwareness(
      states([
        [1, {}],
        [2, { user: { name: '', color: '#0f766e' } }],
        [3, { user: { name: 'Eve', color: 'javascript:x' } }],
        [4, { user: 'Mallory' }],
      ]),
      1,
    );
    expect(list).toEqual([]);
  });

  it('keeps people with the same name but different colours apart', () => {
    const list = participantsFromAwareness(
      states([
        [1, { user: { name: 'Anna', color: '#0f766e' } }],
        [2, { user: { name: 'Anna', color: '#b91c1c' } }],
      ]),
      0,
    );
    expect(list).toHaveLength(2);
  });
});
