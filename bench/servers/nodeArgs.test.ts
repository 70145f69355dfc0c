import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseStartScript, shippedRoundtableFlags } from './nodeArgs.js';

describe('Roundtable as shipped', () => {
  it('takes the node flags of `npm start` from package.json', () => {
    expect(parseStartScript('node scripts/start.mjs')).toEqual([]);
    expect(parseStartScript('node --max-semi-space-size=1 scripts/start.mjs')).toEqual(['--max-semi-space-size=1']);
    expect(parseStartScript('node --max-semi-space-size=2 --v8-pool-size=2 scripts/start.mjs')).toEqual(['--max-semi-space-size=2', '--v8-pool-size=2']);
    // The repository's own start script has the expected shape (else every bench run would fail).
    expect(Array.isArray(shippedRoundtableFlags(fileURLToPath(new URL('../../package.json', import.meta.url))))).toBe(true);
  });

  it('refuses a start script of another shape rather than guessing', () => {
    expect(() => parseStartScript('node scripts/other.mjs')).toThrow(/start/);
    expect(() => parseStartScript('NODE_OPTIONS=x node scripts/start.mjs')).toThrow(/start/);
    expect(() => parseStartScript('node --flag value scripts/start.mjs')).toThrow(/start/);
  });
});
