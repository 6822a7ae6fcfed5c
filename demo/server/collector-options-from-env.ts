import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { err, ok } from '@consentgate/core';
import type { Result } from '@consentgate/core';

import { CollectorError, CollectorErrorCode } from './collector-error.js';
import { DEFAULT_ALLOWED_ORIGINS } from './create-collector.js';
import type { StartCollectorOptions } from './start-collector.js';

/** The checkout's root, whatever the working directory. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Where embedded PGlite keeps its files unless `COLLECTOR_DATA_DIR` says otherwise. */
export const DEFAULT_DATA_DIR = resolve(ROOT, 'demo/.data/collector');

/**
 * Reads the collector's settings from environment variables and returns options for
 * `startCollector`, or an error naming the bad variable.
 *
 * - `COLLECTOR_PORT`: default 8787.
 * - `DATABASE_URL`: `postgres://…` for a PostgreSQL server; absent → embedded PGlite.
 * - `COLLECTOR_DATA_DIR`: PGlite's folder; default `demo/.data/collector` in the checkout.
 * - `COLLECTOR_ALLOWED_ORIGINS`: comma-separated origins; default the demo's dev and preview.
 * - `POLICY_DIR`: the policy bundle folder; default `policies/dist` in the checkout.
 *
 * Relative paths are taken from `cwd`.
 */
export function collectorOptionsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  cwd: string = process.cwd(),
): Result<StartCollectorOptions, CollectorError> {
  const value = (name: string): string | undefined => {
    const text = env[name]?.trim();
    return text === undefined || text === '' ? undefined : text;
  };
  const portText = value('COLLECTOR_PORT') ?? '8787';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65_535) {
    return err(invalid(`COLLECTOR_PORT must be a port number, not "${portText}"`));
  }
  const databaseUrl = value('DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    return err(invalid('DATABASE_URL must start with postgres:// or postgresql://'));
  }
  const origins = value('COLLECTOR_ALLOWED_ORIGINS')
    ?.split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
  for (const origin of origins ?? []) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (parsed?.origin !== origin) {
      return err(invalid(`COLLECTOR_ALLOWED_ORIGINS: "${origin}" is not an origin`));
    }
  }
  const path = (text: string | undefined, fallback: string): string =>
    text === undefined ? fallback : isAbsolute(text) ? text : resolve(cwd, text);
  return ok({
    port,
    host: '127.0.0.1',
    databaseUrl,
    dataDir:
      databaseUrl === undefined ? path(value('COLLECTOR_DATA_DIR'), DEFAULT_DATA_DIR) : undefined,
    allowedOrigins: origins ?? DEFAULT_ALLOWED_ORIGINS,
    policyDir: path(value('POLICY_DIR'), resolve(ROOT, 'policies/dist')),
  });
}

function invalid(message: string): CollectorError {
  return new CollectorError(CollectorErrorCode.InvalidOptions, message);
}
