import { existsSync, readFileSync } from 'node:fs';

/**
 * Just enough of a source-map reader to name where a CPU sample of the built client comes from
 * (`traceSummary.ts`): generated line/column → original source file. Written here rather than
 * imported because the bench has no source-map library among its dependencies, and the format
 * (v3, base64 VLQ `mappings`) is small.
 */

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...BASE64].map((c, i) => [c, i]));

/** Decodes one VLQ segment ("AAgBC") into its numbers. */
function decodeSegment(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = DIGIT.get(char);
    if (digit === undefined) throw new Error(`bad source-map character ${char}`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

export interface SourceMapLookup {
  /** The original source of a 0-based generated position, or null where nothing is mapped. */
  sourceAt(line: number, column: number): string | null;
}

export function readSourceMap(file: string): SourceMapLookup | null {
  if (!existsSync(file)) return null;
  const map = JSON.parse(readFileSync(file, 'utf8')) as { sources: string[]; mappings: string };
  // Per generated line: sorted [column, source index] pairs.
  const lines: Array<Array<[number, number]>> = [];
  let source = 0;
  for (const text of map.mappings.split(';')) {
    const segments: Array<[number, number]> = [];
    let column = 0;
    if (text !== '') {
      for (const raw of text.split(',')) {
        const values = decodeSegment(raw);
        column += values[0]!;
        if (values.length >= 4) {
          source += values[1]!;
          segments.push([column, source]);
        }
        // The original line, column and name deltas accumulate too but are not needed here.
      }
    }
    lines.push(segments);
  }
  return {
    sourceAt(line, column) {
      const segments = lines[line];
      if (!segments || segments.length === 0) return null;
      let lo = 0;
      let hi = segments.length - 1;
      if (segments[0]![0] > column) return map.sources[segments[0]![1]] ?? null;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (segments[mid]![0] <= column) lo = mid;
        else hi = mid - 1;
      }
      return map.sources[segments[lo]![1]] ?? null;
    },
  };
}
