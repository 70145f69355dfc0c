import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { createPerson, type TestPerson } from '../../helpers/accounts.js';
import { launchBrowser } from '../../helpers/browser.js';
import { ServerProcess } from '../../helpers/serverProcess.js';

export const GROUP = 'digital-transition';

export interface TwoMembers {
  server: ServerProcess;
  browser: Browser;
  ana: TestPerson;
  bruno: TestPerson;
}

/**
 * The co-writing scene of the e2e tests: a fresh server (with its known first admin, whose API
 * token creates the people), Ana and Bruno as members of the Digital Transition group, and one
 * Chromium. Registers the suite's beforeAll/afterAll; the fields are set once beforeAll ran.
 */
export function useTwoMembers(): TwoMembers {
  const scene = {} as TwoMembers;
  beforeAll(async () => {
    scene.server = await ServerProcess.start();
    scene.ana = await createPerson(scene.server, 'Ana Petrović', { [GROUP]: 'member' });
    scene.bruno = await createPerson(scene.server, 'Bruno Keller', { [GROUP]: 'member' });
    scene.browser = await launchBrowser();
  });
  afterAll(async () => {
    await scene.browser?.close();
    await scene.server?.dispose();
  });
  return scene;
}
