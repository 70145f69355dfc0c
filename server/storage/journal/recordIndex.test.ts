import { describe, expect, it } from 'vitest';
import { RecordIndex } from './recordIndex.js';

describe('RecordIndex', () => {
  it('JOURNAL-4: keeps records in order across growth and compaction, drops those before a boundary, and keeps payloads until durable', () => {
    const index = new RecordIndex();
    const ids: number[] = [];
    for (let i = 0; i < 100; i++) ids.push(index.push(Math.floor(i / 10), 16 + (i % 10) * 20, 25 + (i % 10) * 20, 11, i % 2 === 0 ? Uint8Array.of(i) : undefined));
    expect(index.length).toBe(100);
    expect(index.fileBytes).toBe(100 * 20);
    expect(index.firstSegment()).toBe(0);
    index.durable(ids[0]!);

    const dropped: number[] = [];
    index.dropBefore({ segment: 6, offset: 16 + 5 * 20 }, (segment) => dropped.push(segment));
    expect(dropped).toHaveLength(65);
    expect(index.firstSegment()).toBe(6);
    expect(index.fileBytes).toBe(35 * 20);
    // More appends reuse the dropped room, ids stay valid.
    for (let i = 100; i < 160; i++) ids.push(index.push(10 + Math.floor(i / 10), 16, 25, 11, Uint8Array.of(i & 0xff)));
    index.durable(ids[66]!);
    const entries = index.entries();
    expect(entries).toHaveLength(95);
    expect(entries[0]).toEqual({ segment: 6, offset: 116, dataOffset: 125, length: 11, payload: undefined }); // record 65: odd, no payload
    expect(entries[1]?.payload).toBeUndefined(); // record 66: durable now
    expect(entries[3]?.payload).toEqual(Uint8Array.of(68));
    expect(entries.at(-1)).toMatchObject({ segment: 25, payload: Uint8Array.of(159) });

    index.dropBefore({ segment: 99, offset: 0 }, () => undefined);
    expect(index.length).toBe(0);
    expect(index.fileBytes).toBe(0);
    expect(index.firstSegment()).toBeUndefined();
    const id = index.push(100, 16, 25, 1, Uint8Array.of(1));
    expect(index.entries()).toEqual([{ segment: 100, offset: 16, dataOffset: 25, length: 1, payload: Uint8Array.of(1) }]);
    expect(id).toBeGreaterThan(ids.at(-1)!);
  });
});
