import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentMeta } from '../../shared/domain/index.js';
import { createPerson, signIn } from '../helpers/accounts.js';
import { browserAvailable, launchBrowser } from '../helpers/browser.js';
import { ServerProcess } from '../helpers/serverProcess.js';

/**
 * SEC-8: the built client runs under the server's Content Security Policy without a single
 * violation: pages, the editor, and a collaborator's caret (Tiptap injects a <style> element and
 * the carets colour themselves with inline style attributes).
 */
describe.skipIf(!browserAvailable())('the built client under the Content Security Policy', () => {
  let server: ServerProcess;
  let browser: Browser;
  beforeAll(async () => {
    server = await ServerProcess.start();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  interface Watched {
    context: BrowserContext;
    page: Page;
    violations: string[];
  }

  /** A signed-in page that records every CSP violation (DOM event and console report). */
  async function signedInPage(email: string, password: string): Promise<Watched> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const cookie = await signIn(server, email, password);
    const [name, value] = cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: server.url, httpOnly: true, sameSite: 'Lax' }]);
    const page = await context.newPage();
    const violations: string[] = [];
    await page.exposeFunction('__reportViolation', (text: string) => violations.push(text));
    await page.addInitScript(() => {
      // Runs in the page; typed loosely because the Node-side tsconfig has no DOM library.
      const target = globalThis as unknown as {
        addEventListener(type: string, listener: (event: { violatedDirective: string; blockedURI: string; sample?: string }) => void): void;
        __reportViolation(text: string): void;
      };
      target.addEventListener('securitypolicyviolation', (event) => target.__reportViolation(`${event.violatedDirective} ${event.blockedURI} ${event.sample ?? ''}`));
    });
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    page.on('pageerror', (error) => violations.push(`page error: ${error.message}`));
    return { context, page, violations };
  }

  it('SEC-8: pages, the editor and a collaborator’s caret render with zero CSP violations', async () => {
    const { document } = await server.api<{ document: DocumentMeta }>('/api/groups/digital-transition/documents', {
      method: 'POST',
      body: JSON.stringify({ kind: 'working-draft', title: 'CSP check' }),
    });
    const other = await createPerson(server, 'Caret Colleague', { 'digital-transition': 'member' });
    const ana = await signedInPage(server.adminEmail, server.adminPassword);
    const ben = await signedInPage(other.email, other.password);

    await ana.page.goto(server.url);
    await ana.page.waitForLoadState('networkidle');
    for (const person of [ana, ben]) {
      await person.page.goto(`${server.url}/documents/${document.id}`);
      await person.page.locator('.ProseMirror').waitFor();
    }
    await ana.page.locator('.ProseMirror p').first().click();
    await ana.page.keyboard.press('End');
    await ana.page.keyboard.type(' typed under the policy');
    // Ben sees Ana's text and her caret (an element styled with an inline colour).
    await ben.page.getByText('typed under the policy').waitFor();
    await ben.page.locator('.collaboration-carets__caret').first().waitFor();
    expect(await ben.page.locator('.collaboration-carets__caret').first().getAttribute('style')).toMatch(/color/);

    const csp = (await fetch(`${server.url}/`)).headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(ana.violations).toEqual([]);
    expect(ben.violations).toEqual([]);
    await ana.context.close();
    await ben.context.close();
  });
});
