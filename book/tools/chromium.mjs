// Launches the headless Chromium the book's browser checks share (test-site.mjs renders the built
// site, test-web.mjs drives kv web): Debian's chromium unless CHROMIUM names another, with the
// flags that keep it from reaching the network on its own. Playwright gives it a new, empty
// --user-data-dir each time.
import { chromium } from 'playwright-core';

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
