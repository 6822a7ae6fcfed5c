// Where the suite's servers listen; override with E2E_SHOP_PORT and E2E_COLLECTOR_PORT.

/** The storefront's port (`vite preview` of a build made for the suite). */
export const SHOP_PORT = Number(process.env.E2E_SHOP_PORT ?? 14173);

/** The storefront's origin. */
export const SHOP_ORIGIN = `http://127.0.0.1:${SHOP_PORT}`;

/** The collector's origin. */
export const COLLECTOR_ORIGIN = `http://127.0.0.1:${Number(process.env.E2E_COLLECTOR_PORT ?? 18787)}`;

/**
 * Debian's chromium, headless as root in a container: `--no-sandbox` because the setuid sandbox is
 * unavailable there, the rest to keep it off the network and the GPU.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
