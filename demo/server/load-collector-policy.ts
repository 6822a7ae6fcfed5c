import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { ErrorCode } from '@consentgate/core';
import { loadPolicy } from '@consentgate/policy';

import { describeError } from './database.js';
import type { CollectorPolicy } from './verify-event.js';

/** The most bytes read for any one bundle file. */
const MAX_BUNDLE_FILE = 4 * 1024 * 1024;

/**
 * Reads the compiled policy bundle (`manifest.json`, `policy.wasm`, `data.json`) from `dir`,
 * verifies it with `@consentgate/policy` — the same loader and checks the browser uses — and
 * returns it ready, or unavailable with the reason. Never rejects: a missing, corrupted or
 * unpinned-digest bundle makes the collector refuse every event, it does not stop it.
 */
export async function loadCollectorPolicy(
  dir: string | URL,
  options: { readonly digest?: string | undefined } = {},
): Promise<CollectorPolicy> {
  try {
    const base = typeof dir === 'string' ? dir : fileURLToPath(dir);
    const read = (name: string): Promise<Buffer> =>
      readFile(join(base, name)).catch((cause: unknown) => {
        // Said without the path: the reason is shown on /healthz.
        const code = (cause as { code?: unknown } | null)?.code;
        throw new Error(
          `${ErrorCode.PolicyFetchFailed}: ${name} could not be read${
            typeof code === 'string' ? ` (${code})` : ''
          }`,
        );
      });
    const [manifest, wasm, data] = await Promise.all([
      read('manifest.json'),
      read('policy.wasm'),
      read('data.json'),
    ]);
    const policy = await loadPolicy(
      { manifest, wasm, data },
      {
        maxBytes: MAX_BUNDLE_FILE,
        ...(options.digest === undefined ? {} : { digest: options.digest }),
      },
    );
    if (policy.error !== null || policy.digest === null) {
      policy.dispose();
      return {
        ready: false,
        error: policy.error ? `${policy.error.code}: ${policy.error.message}` : 'no digest',
      };
    }
    return { ready: true, policy, digest: policy.digest };
  } catch (error) {
    return { ready: false, error: describeError(error) };
  }
}
