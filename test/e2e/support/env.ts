// Where the suite's servers listen; override with E2E_SHOP_PORT and E2E_COLLECTOR_PORT.

/** The storefront's port (`vite preview` of a build made for the suite). */
export const SHOP_PORT = Number(process.env.E2E_SHOP_PORT ?? 14173);

/** The storefront's origin. */
export const SHOP_ORIGIN = `http://127.0.0.1:${SHOP_PORT}`;

/** The collector's origin. */
export const COLLECTOR_ORIGIN = `http://127.0.0.1:${Number(process.env.E2E_COLLECTOR_PORT ?? 18787)}`;

export { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../scripts/chromium.mjs';
