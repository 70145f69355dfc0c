import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserAvailable } from '../helpers/browser.js';
import { documentText, signedInPage } from './support/accounts.js';
import { GROUP, useTwoMembers } from './support/twoMembers.js';


const paragraph = (page: Page, index: number) => page.getByTestId('editor').locator('p').nth(index);

/** A paragraph's text as a person reads it: without collaborators' caret labels. */
function paragraphText(page: Page, index: number): Promise<string> {
  return paragraph(page, index).evaluate((p) => {
    // Runs in the page; typed loosely because the Node-side tsconfig has no DOM library.
    const copy = p.cloneNode(true) as typeof p;
    for (const caret of copy.querySelectorAll('.collaboration-carets__caret')) caret.remove();
    return copy.textContent ?? '';
  });
}

/** Puts the caret before the first character of a paragraph. */
async function atStart(locator: ReturnType<typeof paragraph>): Promise<void> {
  await locator.click({ position: { x: 1, y: 4 } });
}

async function saved(page: Page): Promise<void> {
  await expect.poll(() => page.getByTestId('status').getAttribute('data-status'), { timeout: 20_000 }).toBe('saved');
}

/**
 * What the editor does with a collaborator's changes while the person is typing: the client
 * applies text-only remote changes without rebuilding the whole document (remoteTextSync.ts,
 * VIEW-1) and renders blocks off screen lazily (content-visibility), so this checks that the
 * person's caret still lands where it was, structural changes still come through, and the
 * collaborator's caret is still named and shown.
 */
describe.skipIf(!browserAvailable())('a collaborator editing while you type', () => {
  const scene = useTwoMembers();

  it('E2E-4: text typed before your caret, new and removed paragraphs by someone else keep your caret in place; their caret stays named', async () => {
    const { server, browser, ana, bruno } = scene;
    const anaPage = await signedInPage(browser, server, ana, '/');
    await anaPage.getByTestId('group-card').filter({ hasText: 'Digital Transition' }).click();
    await anaPage.getByTestId('document-row').filter({ hasText: 'group meeting of 8 September 2022' }).click();
    await anaPage.getByTestId('editor').waitFor();
    const brunoPage = await signedInPage(browser, server, bruno, new URL(anaPage.url()).pathname);
    await brunoPage.getByTestId('editor').waitFor();
    await saved(anaPage);
    await saved(brunoPage);

    // Ana's caret at the end of the first paragraph; Bruno types at its start, before her caret.
    await paragraph(anaPage, 0).click();
    await anaPage.keyboard.press('End');
    await atStart(paragraph(brunoPage, 0));
    await brunoPage.keyboard.type('Bruno first. ', { delay: 10 });
    await expect.poll(() => paragraphText(anaPage, 0), { timeout: 20_000 }).toMatch(/^Bruno first\. /);
    // Her next keystrokes still go to the end of the paragraph, after his text.
    await anaPage.keyboard.type(' [Ana one]', { delay: 10 });
    await expect.poll(() => paragraphText(brunoPage, 0), { timeout: 20_000 }).toMatch(/ \[Ana one\]$/);

    // Bruno adds a paragraph above Ana's, then removes it again (structural changes).
    const paragraphsBefore = await anaPage.getByTestId('editor').locator('p').count();
    await atStart(paragraph(brunoPage, 0));
    await brunoPage.keyboard.press('Enter');
    await brunoPage.keyboard.press('ArrowUp');
    const added = 'A new first paragraph by Bruno.';
    await brunoPage.keyboard.type(added, { delay: 10 });
    await expect.poll(() => anaPage.getByTestId('editor').locator('p').count(), { timeout: 20_000 }).toBe(paragraphsBefore + 1);
    await expect.poll(() => paragraphText(anaPage, 0), { timeout: 20_000 }).toBe('A new first paragraph by Bruno.');
    await anaPage.keyboard.type(' [Ana two]', { delay: 10 });
    await expect.poll(() => paragraphText(brunoPage, 1), { timeout: 20_000 }).toMatch(/ \[Ana one\] \[Ana two\]$/);

    // Emptied, then joined with the next one: the paragraph node goes away.
    for (let i = 0; i < added.length; i++) await brunoPage.keyboard.press('Backspace');
    await brunoPage.keyboard.press('Delete');
    await expect.poll(() => anaPage.getByTestId('editor').locator('p').count(), { timeout: 20_000 }).toBe(paragraphsBefore);
    await anaPage.keyboard.type(' [Ana three]', { delay: 10 });
    await expect.poll(() => paragraphText(brunoPage, 0), { timeout: 20_000 }).toMatch(/^Bruno first\. .* \[Ana one\] \[Ana two\] \[Ana three\]$/);

    // Bruno's caret is drawn in Ana's page with his name, and its label is not clipped away.
    const label = anaPage.locator('.collaboration-carets__label').filter({ hasText: 'Bruno Keller' });
    await expect.poll(() => label.count(), { timeout: 20_000 }).toBe(1);
    expect(await label.isVisible()).toBe(true);
    const box = await label.boundingBox();
    expect(box?.height ?? 0).toBeGreaterThan(8);

    for (const page of [anaPage, brunoPage]) await saved(page);
    expect(await documentText(anaPage)).toBe(await documentText(brunoPage));
  });

  it('E2E-5: what someone else typed is kept on this device: a reload without a connection a moment after it arrived still shows it', async () => {
    const { server, browser, ana, bruno } = scene;
    const anaPage = await signedInPage(browser, server, ana, `/groups/${GROUP}`);
    await anaPage.getByTestId('document-row').first().click();
    await anaPage.getByTestId('editor').waitFor();
    const docPath = new URL(anaPage.url()).pathname;
    const brunoPage = await signedInPage(browser, server, bruno, docPath);
    await brunoPage.getByTestId('editor').waitFor();
    await saved(anaPage);
    await saved(brunoPage);

    await atStart(paragraph(brunoPage, 0));
    await brunoPage.keyboard.type('Bruno wrote this before the train. ', { delay: 10 });
    await expect.poll(() => paragraphText(anaPage, 0), { timeout: 20_000 }).toContain('Bruno wrote this before the train.');

    // Others' keystrokes are stored in batches, within REMOTE_WRITE_DELAY_MS (250 ms) of arriving
    // (VIEW-3); a second later Ana's socket becomes unreachable and she reloads: the page comes
    // from this device.
    await anaPage.waitForTimeout(1000);
    await anaPage.context().routeWebSocket(/\/collab\//, (socket) => socket.close());
    await anaPage.reload();
    await anaPage.getByTestId('editor').waitFor();
    await expect.poll(() => paragraphText(anaPage, 0), { timeout: 20_000 }).toContain('Bruno wrote this before the train.');
  });
});
