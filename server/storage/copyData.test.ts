import { describe, expect, it } from 'vitest';
import { copyData } from './copyData.js';

describe('copyData', () => {
  it('META-6: copies plain data deeply, keeping undefined properties like structuredClone', () => {
    const original = { id: 'd', meeting: { date: '2024-01-01', place: undefined }, tags: [{ a: 1 }, 'x', null] };
    const copy = copyData(original);
    expect(copy).toEqual(structuredClone(original));
    expect(Object.keys(copy.meeting)).toEqual(['date', 'place']);
    copy.meeting.date = 'changed';
    (copy.tags[0] as { a: number }).a = 2;
    expect(original.meeting.date).toBe('2024-01-01');
    expect(original.tags[0]).toEqual({ a: 1 });
  });

  it('META-6: anything that is not a plain object or array is still copied faithfully', () => {
    const at = new Date('2024-01-01T00:00:00Z');
    const copy = copyData({ at, set: new Set([1]) });
    expect(copy.at).not.toBe(at);
    expect(copy.at.getTime()).toBe(at.getTime());
    expect([...copy.set]).toEqual([1]);
  });
});
