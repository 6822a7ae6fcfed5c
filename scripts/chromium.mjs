// How every test and benchmark launches Debian's chromium, in one place: headless as root in a
// container (`--no-sandbox`, since the setuid sandbox is unavailable there), with no GPU and none
// of Chromium's own background connections, which this machine's closed network refuses.

/** The browser binary: Debian's chromium unless `CHROMIUM_PATH` names another. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Launch flags for that binary. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
