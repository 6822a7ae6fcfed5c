import type { IncomingMessage } from 'node:http';

import { err, ok } from '@consentgate/core';
import type { Result } from '@consentgate/core';

/** Why a request body could not be read. */
export type BodyError =
  /** The body is (or announced itself as) larger than the limit; reading stopped there. */
  | 'too-large'
  /** The client went away or the stream failed before the body was complete. */
  | 'aborted';

/**
 * Reads a request body of at most `limit` bytes and returns it; never holds more than `limit`
 * bytes in memory. A `Content-Length` above the limit is refused before a byte is read; a body
 * without one (chunked) is counted as it streams and refused at the first byte past the limit.
 * After `'too-large'` the caller answers 413 and the rest of the body is left unread.
 */
export function readBody(
  request: IncomingMessage,
  limit: number,
): Promise<Result<Buffer, BodyError>> {
  const announced = request.headers['content-length'];
  if (announced !== undefined && (!/^\d+$/.test(announced) || Number(announced) > limit)) {
    return Promise.resolve(err('too-large'));
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (result: Result<Buffer, BodyError>): void => {
      if (settled) return;
      settled = true;
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onAbort);
      request.off('close', onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.byteLength;
      if (size > limit) {
        chunks.length = 0;
        request.pause();
        finish(err('too-large'));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => finish(ok(Buffer.concat(chunks, size)));
    const onAbort = (): void => finish(err('aborted'));
    const onClose = (): void => {
      if (!request.complete) onAbort();
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onAbort);
    request.on('close', onClose);
  });
}
