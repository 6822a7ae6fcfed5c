import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { err, ok } from '@consentgate/core';
import type { Result } from '@consentgate/core';

import { CollectorError, CollectorErrorCode } from './collector-error.js';
import { createCollector } from './create-collector.js';
import type { Collector, CollectorOptions } from './create-collector.js';
import { describeError } from './database.js';

/** Options for {@link startCollector}: where to listen, plus everything {@link CollectorOptions} takes. */
export interface StartCollectorOptions extends CollectorOptions {
  /**
   * The TCP port; 0 picks a free one (read it from `url`).
   *
   * @default 8787
   */
  port?: number | undefined;
  /**
   * The address to listen on. The collector has no authentication: keep it on loopback.
   *
   * @default '127.0.0.1'
   */
  host?: string | undefined;
}

/** A listening collector. */
export interface RunningCollector {
  /** Its base URL, such as `http://127.0.0.1:8787/`. */
  readonly url: string;
  readonly server: Server;
  readonly collector: Collector;
  /** Stops listening, ends open connections and closes the collector. */
  close(): Promise<void>;
}

/** Seconds a client may take to send a whole request (a slow sender cannot hold a socket). */
const REQUEST_TIMEOUT_MS = 30_000;
const HEADERS_TIMEOUT_MS = 10_000;

/**
 * Creates a collector, listens on `host:port`, logs its URL, and returns it running. Resolves
 * to an error when the database is unusable or the port cannot be taken; never rejects.
 *
 * @example
 * ```ts
 * const running = await startCollector({ port: 8787 });
 * if (!running.ok) process.exit(1);
 * // later
 * await running.value.close();
 * ```
 */
export async function startCollector(
  options: StartCollectorOptions = {},
): Promise<Result<RunningCollector, CollectorError>> {
  const { port = 8787, host = '127.0.0.1', ...rest } = options;
  const log = rest.log ?? ((line: string) => console.log(line));
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    return err(
      new CollectorError(CollectorErrorCode.InvalidOptions, 'port must be from 0 to 65535'),
    );
  }
  const created = await createCollector({ ...rest, log });
  if (!created.ok) return created;
  const collector = created.value;
  const server = createServer(
    { requestTimeout: REQUEST_TIMEOUT_MS, headersTimeout: HEADERS_TIMEOUT_MS },
    collector.handler,
  );
  // A client that sends garbage gets a 400 from Node's parser; nothing here may crash on it.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  const listening = await new Promise<Error | null>((resolve) => {
    server.once('error', resolve);
    server.listen(port, host, () => {
      server.off('error', resolve);
      resolve(null);
    });
  });
  if (listening !== null) {
    await collector.close().catch(() => {});
    return err(
      new CollectorError(
        CollectorErrorCode.ListenFailed,
        `could not listen on ${host}:${port}: ${describeError(listening)}`,
        { cause: listening },
      ),
    );
  }
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${shown}:${address.port}/`;
  log(`ConsentGate collector listening on ${url} (${collector.database.kind})`);
  let closing: Promise<void> | undefined;
  return ok({
    url,
    server,
    collector,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => collector.close())),
  });
}
