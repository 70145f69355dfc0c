import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentMeta } from '../../shared/domain/index.js';
import { browserAvailable, launchBrowser } from '../helpers/browser.js';
import { createPerson, type TestPerson } from '../helpers/accounts.js';
import { RawClient, bodyOf } from '../helpers/collabClients.js';
import { ServerProcess } from '../helpers/serverProcess.js';
import { documentText, signedInPage } from './support/accounts.js';

const ARTIFACTS = path.resolve('test-artifacts');
const GROUP = 'digital-transition';

/**
 * What a hostile page or e-mail might put on the clipboard. Each payload that ran would set
 * `window.__pwned` or open a dialog; none may survive into the editor or the stored document.
 */
const HOSTILE_HTML = [
  '<p>Before the payloads.</p>',
  '<p><a href="javascript:window.__pwned=1">javascript link</a></p>',
  '<p><a href="JaVaScRiPt:alert(2)">mixed-case scheme</a> <a href="  javascript:alert(3)">leading spaces</a> <a href="java&#x09;script:alert(4)">tab in scheme</a></p>',
  '<p><a href="data:text/html,&lt;script&gt;alert(5)&lt;/script&gt;">data link</a> <a href="vbscript:msgbox(6)">vbscript link</a></p>',
  '<p>image:<img src="x" onerror="window.__pwned=7;alert(7)"></p>',
  '<svg onload="window.__pwned=8"><script>window.__pwned=9</script><a href="javascript:alert(10)"><text>svg link</text></a></svg>',
  '<iframe src="javascript:alert(11)"></iframe><iframe srcdoc="<script>parent.__pwned=12</script>"></iframe>',
  '<script>window.__pwned=13;alert(13)</script>',
  '<p style="background:url(javascript:alert(14))" onclick="alert(15)" onmouseover="window.__pwned=16">styled paragraph</p>',
  '<object data="javascript:alert(17)"></object><embed src="javascript:alert(18)">',
  '<form action="javascript:alert(19)"><button formaction="javascript:alert(20)">form button</button></form>',
  '<details open ontoggle="window.__pwned=21"><summary>details</summary></details>',
  '<math><mi xlink:href="javascript:alert(22)">math</mi></math>',
  '<p><a href="https://example.org/safe" onclick="alert(23)" style="color:red">safe link</a> and <a href="mailto:rapporteur@example.org">mail link</a></p>',
  '<p>After the payloads.</p>',
].join('');

describe.skipIf(!browserAvailable())('pasting hostile HTML into the editor', () => {
  let server: ServerProcess;
  let browser: Browser;
  let ana: TestPerson;
  let doc: DocumentMeta;
  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    server = await ServerProcess.start();
    ana = await createPerson(server, 'Ana Paste', { [GROUP]: 'member' });
    doc = (await server.api<{ document: DocumentMeta }>(`/api/groups/${GROUP}/documents`, { method: 'POST', body: JSON.stringify({ kind: 'working-draft', title: 'Paste target' }) })).document;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('SEC-9: script, iframes, images, SVG, event handlers, styles and javascript:/data: links are neutralised by the schema; a plain https link survives; the server stores none of it', async () => {
    const page = await signedInPage(browser, server, ana, `/documents/${doc.id}`);
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.getByTestId('editor').waitFor();
    await expect.poll(() => page.getByTestId('status').getAttribute('data-status'), { timeout: 20_000 }).toBe('saved');
    await page.getByTestId('editor').locator('p').first().click();
    await page.keyboard.press('End');

    // A real paste event, as the browser dispatches it, with the HTML on the clipboard.
    await page.getByTestId('editor').evaluate((editor, html) => {
      // Runs in the page; typed loosely because the Node-side tsconfig has no DOM library.
      const page = globalThis as unknown as {
        DataTransfer: new () => { setData(type: string, value: string): void };
        ClipboardEvent: new (type: string, init: Record<string, unknown>) => Parameters<typeof editor.dispatchEvent>[0];
      };
      const data = new page.DataTransfer();
      data.setData('text/html', html);
      data.setData('text/plain', 'plain-text fallback');
      editor.dispatchEvent(new page.ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, HOSTILE_HTML);
    await expect.poll(() => documentText(page), { timeout: 20_000 }).toContain('After the payloads.');
    await expect.poll(() => page.getByTestId('status').getAttribute('data-status'), { timeout: 20_000 }).toBe('saved');
    await page.screenshot({ path: path.join(ARTIFACTS, 'e2e-paste.png') });

    // The editor's DOM, collaborators' carets (our own inline-styled spans) left out.
    const found = await page.getByTestId('editor').evaluate((editor) => {
      const copy = editor.cloneNode(true) as typeof editor;
      for (const caret of copy.querySelectorAll('.collaboration-carets__caret')) caret.remove();
      const elements = [...copy.querySelectorAll('*')];
      return {
        forbidden: elements.filter((el) => ['script', 'iframe', 'img', 'svg', 'object', 'embed', 'form', 'button', 'math', 'style', 'details'].includes(el.localName)).map((el) => el.localName),
        handlers: elements.flatMap((el) => [...el.attributes].filter((a) => a.name.toLowerCase().startsWith('on')).map((a) => `${el.localName}[${a.name}]`)),
        styles: elements.filter((el) => el.hasAttribute('style')).map((el) => el.outerHTML),
        hrefs: [...copy.querySelectorAll('a')].map((a) => a.getAttribute('href') ?? ''),
        pwned: (globalThis as unknown as { __pwned?: unknown }).__pwned ?? null,
      };
    });
    expect(found.forbidden).toEqual([]);
    expect(found.handlers).toEqual([]);
    expect(found.styles).toEqual([]);
    expect(found.pwned).toBeNull();
    expect(dialogs).toEqual([]);
    // Links only with allowed protocols; the safe ones kept, the text of the others kept as text.
    expect(found.hrefs.every((href) => /^(https?:|mailto:)/i.test(href.trim())), found.hrefs.join(' ')).toBe(true);
    expect(found.hrefs).toContain('https://example.org/safe');
    expect(found.hrefs).toContain('mailto:rapporteur@example.org');
    const text = await documentText(page);
    for (const words of ['javascript link', 'styled paragraph', 'safe link']) expect(text).toContain(words);

    // The server's stored document, as a fresh client loads it.
    const reader = await RawClient.connect(server.wsUrl, doc.id, { ack: false });
    const stored = bodyOf(reader.doc);
    reader.close();
    expect(stored).toContain('https://example.org/safe');
    expect(stored).toContain('After the payloads.');
    for (const bad of ['<script', '<iframe', '<img', '<svg', '<object', '<embed', '<form', 'javascript:', 'vbscript:', 'data:text', 'onerror', 'onload', 'onclick', 'onmouseover', 'ontoggle', 'style=', '__pwned']) {
      expect(stored.toLowerCase(), bad).not.toContain(bad.toLowerCase());
    }
  });
});
