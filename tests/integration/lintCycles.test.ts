import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('the lint', () => {
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  // The rule once passed silently because import-x was not told to follow .ts files.
  it('LINT-1: an import cycle between two TypeScript modules fails the lint', async () => {
    dir = await mkdtemp(path.join(root, 'lint-cycle-fixture-'));
    await writeFile(path.join(dir, 'a.ts'), "import { b } from './b.js';\nexport const a = (): number => b() + 1;\n");
    await writeFile(path.join(dir, 'b.ts'), "import { a } from './a.js';\nexport const b = (): number => (a ? 1 : 0);\n");
    const results = await new ESLint({ cwd: root }).lintFiles([path.join(dir, '*.ts')]);
    const rules = results.flatMap((result) => result.messages.map((message) => message.ruleId));
    expect(rules.filter((rule) => rule === 'import-x/no-cycle')).toHaveLength(2);
  });
});
