// How the browser tests start headless Chromium: Debian's package (which `npm test` installs) or the
// one CHROMIUM_PATH names, started so that it makes no connection of its own (no updates, sync or
// background requests), as the tests run on loopback only. Pass it to playwright-core's
// `chromium.launch()`.

/** The launch options of playwright-core's `chromium.launch()` for the tests. */
export const chromiumOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};
