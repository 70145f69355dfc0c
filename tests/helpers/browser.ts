import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium; nothing is downloaded (the machine has no network but the registries). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * True when the browser tests can run. Without a browser they are skipped with a loud warning
 * on a developer machine, but under CI=true a missing browser is a failure, never a skip.
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CI === 'true') {
    throw new Error(`CI=true but no browser at ${CHROMIUM_PATH}: install Debian's chromium (see .ci/run)`);
  }
  console.warn(`\n!!! end-to-end tests SKIPPED: no browser at ${CHROMIUM_PATH} (apt-get install -y chromium)\n`);
  return false;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
