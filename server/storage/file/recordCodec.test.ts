import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { flipByte } from './fileStoreTestKit.js';
import { HEADER_SIZE, RECORD_PREFIX_SIZE, encodeHeader, encodeRecordPrefix, headerProblem, isTornHeader, scanRecords } from './recordCodec.js';

const frame = (...payloads: Uint8Array[]): Buffer =>
  Buffer.concat([encodeHeader('log', 3), ...payloads.flatMap((payload) => [encodeRecordPrefix(payload), payload])]);
const a = Uint8Array.from([1, 2, 3]);
const b = Uint8Array.from([4]);

describe('record codec', () => {
  it('uses the built-in CRC32 of node:zlib', () => {
    expect(typeof crc32).toBe('function');
  });

  it('STORE-2: records round-trip as views, empty payloads included', () => {
    const data = frame(a, new Uint8Array(), b);
    const scan = scanRecords(data, HEADER_SIZE);
    expect(scan.records.map((record) => [...record])).toEqual([[1, 2, 3], [], [4]]);
    expect(scan.end).toBe(data.length);
    expect(scan.problem).toBeUndefined();
    expect(scan.records[0]?.buffer).toBe(data.buffer);
  });

  it('STORE-3: a zero-filled tail fails the checksum (the CRC covers the length) and counts as torn', () => {
    const data = Buffer.concat([frame(a), Buffer.alloc(64)]);
    const scan = scanRecords(data, HEADER_SIZE);
    expect(scan.records).toHaveLength(1);
    expect(scan.problem).toEqual({ kind: 'checksum', offset: HEADER_SIZE + RECORD_PREFIX_SIZE + 3, droppedBytes: 64, midFile: false });
  });

  it('STORE-4: a bad record followed by an intact one is reported as mid-file corruption', () => {
    const data = frame(a, b, a);
    flipByte(data, HEADER_SIZE + RECORD_PREFIX_SIZE, 0x80);
    const scan = scanRecords(data, HEADER_SIZE);
    expect(scan.records).toEqual([]);
    expect(scan.problem).toMatchObject({ kind: 'checksum', offset: HEADER_SIZE, midFile: true });
  });

  it('STORE-6: headers of the wrong kind, version, generation or checksum are refused', () => {
    const header = encodeHeader('log', 3);
    expect(headerProblem(header, 'log', 3)).toBeUndefined();
    expect(headerProblem(header, 'snapshot', 3)).toMatch(/magic/);
    expect(headerProblem(header, 'log', 4)).toMatch(/generation 3/);
    const newer = Buffer.from(header);
    newer.writeUInt16LE(2, 4);
    newer.writeUInt32LE(crc32(newer.subarray(0, 12)), 12);
    expect(headerProblem(newer, 'log', 3)).toMatch(/version 2/);
    const flipped = Buffer.from(header);
    flipByte(flipped, 9, 1);
    expect(headerProblem(flipped, 'log', 3)).toMatch(/checksum/);
  });

  it('STORE-3: only a prefix of the expected header counts as a torn header', () => {
    const header = encodeHeader('log', 3);
    expect(isTornHeader(header.subarray(0, 0), 'log', 3)).toBe(true);
    expect(isTornHeader(header.subarray(0, 7), 'log', 3)).toBe(true);
    expect(isTornHeader(Buffer.from('RTXX'), 'log', 3)).toBe(false);
    expect(isTornHeader(header, 'log', 3)).toBe(false);
  });
});
