import type { Browser, Page } from 'playwright-core';
import type { TestPerson } from '../../helpers/accounts.js';
import type { ServerProcess } from '../../helpers/serverProcess.js';

/**
 * A browser context of its own (own cookies, localStorage, IndexedDB: another person) that
 * opens `path` and signs in on the sign-in page it is sent to, as a person following a link
 * would. Resolves once the app has brought them back to `path`.
 */
export async function signedInPage(browser: Browser, server: ServerProcess, person: TestPerson, path = '/'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`[${person.user.name}] page error:`, error));
  await page.goto(`${server.url}${path}`);
  await page.getByTestId('sign-in-form').waitFor();
  await page.getByTestId('sign-in-email').fill(person.email);
  await page.getByTestId('sign-in-password').fill(person.password);
  await page.getByTestId('sign-in-submit').click();
  await page.getByTestId('account-button').waitFor();
  const landed = new URL(page.url());
  if (`${landed.pathname}${landed.search}` !== path) throw new Error(`after signing in, ${person.user.name} is on ${page.url()}, not ${path}`);
  return page;
}

/** The document's text as a person sees it: without the collaborators' caret labels. */
export function documentText(page: Page): Promise<string> {
  return page.getByTestId('editor').evaluate((editor) => {
    // Runs in the page; typed loosely because the Node-side tsconfig has no DOM library.
    const copy = editor.cloneNode(true) as typeof editor;
    for (const caret of copy.querySelectorAll('.collaboration-carets__caret')) caret.remove();
    return copy.innerText;
  });
}
