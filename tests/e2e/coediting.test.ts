import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentMeta } from '../../shared/domain/index.js';
import { browserAvailable, launchBrowser } from '../helpers/browser.js';
import { ServerProcess } from '../helpers/serverProcess.js';

const ARTIFACTS = path.resolve('test-artifacts');

/** Opens a page with its own browser context (own localStorage and IndexedDB: another person). */
async function personPage(browser: Browser, server: ServerProcess, name: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`[${name}] page error:`, error));
  await page.goto(server.url);
  // First visit: the person picks the name their collaborators will see.
  await page.getByTestId('name-dialog-input').fill(name);
  await page.getByTestId('name-dialog-save').click();
  return page;
}

/** The document's text as a reader sees it: without the collaborators' caret labels. */
function documentText(page: Page): Promise<string> {
  return page.getByTestId('editor').evaluate((editor) => {
    // Runs in the page; typed loosely because the Node-side tsconfig has no DOM library.
    const copy = editor.cloneNode(true) as typeof editor;
    for (const caret of copy.querySelectorAll('.collaboration-carets__caret')) caret.remove();
    return copy.innerText;
  });
}

/** Puts the caret at the end of the first paragraph of the document body. */
async function caretToEndOfFirstParagraph(page: Page): Promise<void> {
  await page.getByTestId('editor').locator('p').first().click();
  await page.keyboard.press('End');
}

describe.skipIf(!browserAvailable())('co-writing in two browsers', () => {
  let server: ServerProcess;
  let browser: Browser;
  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    server = await ServerProcess.start();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('E2E-1: two people type into the same paragraph at once and see each other’s text and named caret', async () => {
    const ana = await personPage(browser, server, 'Ana Petrović');
    // Ana walks there through the pages: groups -> Digital Transition -> the group meeting follow-up.
    await ana.getByTestId('group-card').filter({ hasText: 'Digital Transition' }).click();
    await ana.getByTestId('document-row').filter({ hasText: 'group meeting of 8 September 2022' }).click();
    await ana.getByTestId('editor').waitFor();
    const docId = new URL(ana.url()).pathname.split('/').pop()!;
    const { document } = await server.api<{ document: DocumentMeta }>(`/api/documents/${docId}`);
    expect(document.groupId).toBe('digital-transition');

    // Bruno follows a shared link straight to the document.
    const bruno = await personPage(browser, server, 'Bruno Keller');
    await bruno.goto(`${server.url}/documents/${docId}`);
    await bruno.getByTestId('editor').waitFor();

    for (const page of [ana, bruno]) {
      await expect.poll(() => page.getByTestId('status').getAttribute('data-status'), { timeout: 20_000 }).toBe('saved');
    }
    await caretToEndOfFirstParagraph(ana);
    await caretToEndOfFirstParagraph(bruno);
    await Promise.all([
      ana.keyboard.type(' Ana adds: remote work needs mentors.', { delay: 15 }),
      bruno.keyboard.type(' Bruno adds: and reliable broadband.', { delay: 15 }),
    ]);

    for (const page of [ana, bruno]) {
      await expect.poll(() => documentText(page), { timeout: 20_000 }).toContain('Ana adds: remote work needs mentors.');
      await expect.poll(() => documentText(page), { timeout: 20_000 }).toContain('Bruno adds: and reliable broadband.');
    }
    // Both typed into the same paragraph.
    const firstParagraph = await ana.getByTestId('editor').locator('p').first().textContent();
    expect(firstParagraph).toContain('Ana adds');
    expect(firstParagraph).toContain('Bruno adds');
    // Each sees the other's caret, labelled with the other's name.
    await expect.poll(() => ana.locator('.collaboration-carets__label').allInnerTexts(), { timeout: 20_000 }).toContain('Bruno Keller');
    await expect.poll(() => bruno.locator('.collaboration-carets__label').allInnerTexts(), { timeout: 20_000 }).toContain('Ana Petrović');
    await expect.poll(() => ana.getByTestId('avatars').getAttribute('data-count')).toBe('2');
    // Saved means stored on the server: both converge to the same text, acknowledged.
    for (const page of [ana, bruno]) {
      await expect.poll(() => page.getByTestId('status').getAttribute('data-status'), { timeout: 20_000 }).toBe('saved');
    }
    expect(await documentText(ana)).toBe(await documentText(bruno));

    await ana.screenshot({ path: path.join(ARTIFACTS, 'e2e-coediting-ana.png') });
    await bruno.screenshot({ path: path.join(ARTIFACTS, 'e2e-coediting-bruno.png') });
  });
});
