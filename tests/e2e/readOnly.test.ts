import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchBrowser } from '../helpers/browser.js';
import { createPerson, type TestPerson } from '../helpers/accounts.js';
import { ServerProcess } from '../helpers/serverProcess.js';
import { documentText, signedInPage } from './support/accounts.js';

const ARTIFACTS = path.resolve('test-artifacts');
const GROUP = 'digital-transition';

describe.skipIf(!browserAvailable())('reading without writing', () => {
  let server: ServerProcess;
  let browser: Browser;
  let maria: TestPerson;
  let rui: TestPerson;
  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    // Starts with a known first admin, whose API token creates the people below.
    server = await ServerProcess.start();
    maria = await createPerson(server, 'Maria Rossi', { [GROUP]: 'member' });
    rui = await createPerson(server, 'Rui Costa', { [GROUP]: 'reader' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('E2E-2: a member types, a reader on the same document sees it live and cannot type', async () => {
    const member = await signedInPage(browser, server, maria, `/groups/${GROUP}`);
    await member.getByTestId('document-row').filter({ hasText: 'group meeting of 8 September 2022' }).click();
    await member.getByTestId('editor').waitFor();
    const docPath = new URL(member.url()).pathname;
    await expect.poll(() => member.getByTestId('status').getAttribute('data-status'), { timeout: 20_000 }).toBe('saved');

    const reader = await signedInPage(browser, server, rui, docPath);
    await reader.getByTestId('editor').waitFor();

    // The reader's page says what it is: a Read only badge where the toolbar was, the status
    // reads "read only", the role badge says reader, and the text is not editable.
    await reader.getByTestId('read-only-badge').waitFor();
    expect(await reader.locator('.toolbar').count()).toBe(0);
    await expect.poll(() => reader.getByTestId('status').getAttribute('data-status'), { timeout: 20_000 }).toBe('read-only');
    expect(await reader.getByTestId('role-badge').getAttribute('data-role')).toBe('reader');
    expect(await reader.getByTestId('editor').getAttribute('contenteditable')).toBe('false');
    expect(await member.getByTestId('read-only-badge').count()).toBe(0);

    // The member types; the reader sees it live.
    await member.getByTestId('editor').locator('p').first().click();
    await member.keyboard.press('End');
    await member.keyboard.type(' Maria notes: tutors need training time.', { delay: 10 });
    await expect.poll(() => documentText(reader), { timeout: 20_000 }).toContain('Maria notes: tutors need training time.');

    // The reader tries to type: nothing changes, for them or for anyone else.
    const before = await documentText(reader);
    await reader.getByTestId('editor').locator('p').first().click();
    await reader.keyboard.press('End');
    await reader.keyboard.type('ReaderWasHere', { delay: 10 });
    await reader.keyboard.press('Enter');
    await reader.keyboard.press('Backspace');
    await expect.poll(() => member.getByTestId('status').getAttribute('data-status'), { timeout: 20_000 }).toBe('saved');
    expect(await documentText(reader)).toBe(before);
    expect(await documentText(member)).not.toContain('ReaderWasHere');

    // The reader is among the people in the document, but shows no caret to the writers.
    await expect.poll(() => member.getByTestId('avatars').getAttribute('data-count'), { timeout: 20_000 }).toBe('2');
    expect(await member.locator('.collaboration-carets__label').allInnerTexts()).not.toContain('Rui Costa');
    await expect.poll(() => reader.locator('.collaboration-carets__label').allInnerTexts(), { timeout: 20_000 }).toContain('Maria Rossi');

    // Back to the top (the keys the reader pressed scrolled the page) for a telling screenshot.
    await reader.mouse.wheel(0, -100_000);
    await reader.waitForTimeout(300);
    await reader.screenshot({ path: path.join(ARTIFACTS, 'e2e-readonly-reader.png') });
    await member.screenshot({ path: path.join(ARTIFACTS, 'e2e-readonly-member.png') });
  });
});
