import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchBrowser } from '../helpers/browser.js';
import { createPerson, type TestPerson } from '../helpers/accounts.js';
import { ServerProcess } from '../helpers/serverProcess.js';
import { documentText, signedInPage } from './support/accounts.js';

const ARTIFACTS = path.resolve('test-artifacts');
const GROUP = 'social-inclusion';

describe.skipIf(!browserAvailable())('working offline', () => {
  let server: ServerProcess;
  let browser: Browser;
  let lena: TestPerson;
  let omar: TestPerson;
  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    server = await ServerProcess.start();
    lena = await createPerson(server, 'Lena Vogel', { [GROUP]: 'member' });
    omar = await createPerson(server, 'Omar Haddad', { [GROUP]: 'member' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('E2E-3: edits made while the server is unreachable survive a reload and merge when the connection returns', async () => {
    const page = await signedInPage(browser, server, lena, `/groups/${GROUP}`);
    await page.getByTestId('document-row').first().click();
    await page.getByTestId('editor').waitFor();
    const docPath = new URL(page.url()).pathname;
    await expect.poll(() => page.getByTestId('status').getAttribute('data-status'), { timeout: 20_000 }).toBe('saved');

    // The collaboration socket becomes unreachable: every new connection is closed at once,
    // while pages and the REST API still load (a flaky train Wi-Fi, as far as the socket sees).
    let unreachable = true;
    await page.context().routeWebSocket(/\/collab\//, (socket) => {
      if (unreachable) socket.close();
      else socket.connectToServer();
    });
    await page.reload();
    await page.getByTestId('editor').waitFor();
    await page.getByTestId('editor').locator('p').first().click();
    await page.keyboard.press('End');
    await page.keyboard.type(' Written on the train without a connection.', { delay: 10 });
    await expect.poll(() => page.getByTestId('status').getAttribute('data-status'), { timeout: 20_000 }).toBe('offline');
    await page.screenshot({ path: path.join(ARTIFACTS, 'e2e-offline.png') });

    // A reload while still offline: the edit is still there, kept on this device.
    await page.reload();
    await page.getByTestId('editor').waitFor();
    await expect.poll(() => documentText(page), { timeout: 20_000 }).toContain('Written on the train without a connection.');

    // The connection returns: the edit reaches the server and is acknowledged.
    unreachable = false;
    await expect.poll(() => page.getByTestId('status').getAttribute('data-status'), { timeout: 30_000 }).toBe('saved');

    // Someone else opening the document now sees it, once, merged with what was there.
    const other = await signedInPage(browser, server, omar, docPath);
    await other.getByTestId('editor').waitFor();
    await expect.poll(() => documentText(other), { timeout: 20_000 }).toContain('Written on the train without a connection.');
    expect((await documentText(other)).split('Written on the train without a connection.').length).toBe(2);
  });
});
