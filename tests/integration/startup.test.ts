import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ServerProcess } from '../helpers/serverProcess.js';

describe('starting the server', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it('START-1: a corrupt meta.json stops the server with a clear error and is left untouched', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'roundtable-corrupt-'));
    dirs.push(dir);
    const file = path.join(dir, 'meta.json');
    const corrupt = '{"version":1,"groups":[{"id":"digital-transition"'; // cut off mid-write by hand
    await writeFile(file, corrupt);
    const failure = await ServerProcess.start({}, dir).then(
      () => null,
      (error: unknown) => String(error),
    );
    expect(failure).not.toBeNull();
    expect(failure).toContain('meta.json');
    expect(await readFile(file, 'utf8')).toBe(corrupt);
  });

  it('START-2: an invalid setting stops the server before it listens, naming the variable', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'roundtable-badconfig-'));
    dirs.push(dir);
    const failure = await ServerProcess.start({ PORT: 'eighty' }, dir).then(
      () => null,
      (error: unknown) => String(error),
    );
    expect(failure).toContain('PORT="eighty"');
  });
});
