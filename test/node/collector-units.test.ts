// The collector's pure parts: body reading with a cap, JSON and event validation, settings from
// the environment, HTML escaping.
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';

import { describe, expect, it } from 'vitest';

import {
  collectorOptionsFromEnv,
  DEFAULT_DATA_DIR,
} from '../../demo/server/collector-options-from-env.js';
import { DEFAULT_ALLOWED_ORIGINS } from '../../demo/server/create-collector.js';
import {
  parseErase,
  parseEvent,
  parseJsonBody,
  parseReceipt,
} from '../../demo/server/parse-batch.js';
import { readBody } from '../../demo/server/read-body.js';
import { escapeHtml } from '../../demo/server/render-page.js';
import { makeEvent, makeReceipt } from '../support/collector-fixtures.js';

/** A request body that produces `chunks` chunks of `size` bytes on demand, counting them. */
function body(chunks: number, size: number, headers: Record<string, string> = {}) {
  let produced = 0;
  const stream = new Readable({
    read() {
      if (produced === chunks) this.push(null);
      else {
        produced += 1;
        this.push(Buffer.alloc(size, 0x20));
      }
    },
  });
  Object.assign(stream, { headers, complete: false });
  stream.on('end', () => Object.assign(stream, { complete: true }));
  return { request: stream as unknown as IncomingMessage, produced: () => produced };
}

describe(readBody, () => {
  it('returns a body within the limit', async () => {
    const { request } = body(3, 1000);

    const result = await readBody(request, 4000);

    expect(result.ok && result.value.byteLength).toBe(3000);
  });

  it('stops reading at the first chunk past the limit', async () => {
    const { request, produced } = body(1000, 16 * 1024);

    const result = await readBody(request, 68 * 1024);

    expect(result).toEqual({ ok: false, error: 'too-large' });
    expect(produced()).toBeLessThan(10);
  });

  it('refuses an announced Content-Length over the limit without reading', async () => {
    const { request, produced } = body(10, 1000, { 'content-length': '10000' });

    const result = await readBody(request, 4000);

    expect(result).toEqual({ ok: false, error: 'too-large' });
    expect(produced()).toBe(0);
  });
});

describe(parseJsonBody, () => {
  it('parses UTF-8 JSON', () => {
    const result = parseJsonBody(new TextEncoder().encode('{"a":"湯呑み"}'));

    expect(result).toEqual({ ok: true, value: { a: '湯呑み' } });
  });

  it('refuses objects nested deeper than 32', () => {
    const deep = `${'{"a":'.repeat(40)}1${'}'.repeat(40)}`;

    expect(parseJsonBody(new TextEncoder().encode(deep)).ok).toBe(false);
  });

  it('refuses invalid UTF-8', () => {
    expect(parseJsonBody(new Uint8Array([0x22, 0xff, 0x22])).ok).toBe(false);
  });
});

describe(parseEvent, () => {
  it('names page events "Page Viewed" and identify events "Identify"', () => {
    const page = parseEvent(makeEvent({ type: 'page', event: undefined, name: 'Home' }));
    const identify = parseEvent(
      makeEvent({ type: 'identify', event: undefined, properties: undefined, traits: { a: 1 } }),
    );

    expect(page?.name).toBe('Page Viewed');
    expect(identify?.name).toBe('Identify');
    expect(identify?.properties).toEqual({ a: 1 });
  });

  it.each([
    ['an unknown type', { type: 'alias' }],
    ['properties on identify', { type: 'identify', event: undefined }],
    ['a timestamp before 1970', { timestamp: '1969-12-31T23:59:59Z' }],
    ['a control character in the messageId', { messageId: 'a\nb' }],
    ['a messageId of 201 characters', { messageId: 'm'.repeat(201) }],
    ['no consentgate context', { context: {} }],
  ])('refuses %s', (_label, overrides) => {
    expect(parseEvent(makeEvent(overrides))).toBeNull();
  });
});

describe(parseReceipt, () => {
  it('keeps only the known fields', () => {
    const receipt = parseReceipt({ ...makeReceipt(), extra: 'x', signals: { gpc: true, dnt: 1 } });

    expect(receipt).toEqual(makeReceipt({ signals: { gpc: true } }));
  });

  it('keeps a "__proto__" purpose as an own, plain key', () => {
    const receipt = parseReceipt(
      JSON.parse(
        JSON.stringify(makeReceipt()).replace('"purposes":{', '"purposes":{"__proto__":true,'),
      ),
    );

    expect(Object.keys(receipt?.purposes ?? {})).toContain('__proto__');
    expect(Object.getPrototypeOf(receipt?.purposes)).toBe(Object.prototype);
  });

  it.each([
    ['a digest that is not hex', { policy_digest: 'x' }],
    ['an unknown method', { method: 'guess' as never }],
    ['a fractional given_at', { given_at: 1.5 }],
  ])('refuses %s', (_label, overrides) => {
    expect(parseReceipt(makeReceipt(overrides))).toBeNull();
  });
});

describe(parseErase, () => {
  it('takes an anonymousId, receipt ids, or both', () => {
    expect(parseErase({ anonymousId: 'v', receiptIds: ['r', 'r'] })).toEqual({
      ok: true,
      value: { anonymousId: 'v', receiptIds: ['r'] },
    });
  });

  it('leaves out the anonymousId of a visitor who had none, as WireEraseRequest does', () => {
    expect(parseErase({ receiptIds: ['r'] })).toEqual({ ok: true, value: { receiptIds: ['r'] } });
  });

  it('refuses a request that names nobody', () => {
    expect(parseErase({}).ok).toBe(false);
  });
});

describe(collectorOptionsFromEnv, () => {
  it('defaults to port 8787, embedded PGlite in demo/.data/collector and the demo origins', () => {
    const result = collectorOptionsFromEnv({});

    expect(result).toMatchObject({
      ok: true,
      value: {
        port: 8787,
        host: '127.0.0.1',
        databaseUrl: undefined,
        dataDir: DEFAULT_DATA_DIR,
        allowedOrigins: DEFAULT_ALLOWED_ORIGINS,
      },
    });
    expect(DEFAULT_DATA_DIR).toMatch(/demo\/\.data\/collector$/);
  });

  it('reads every variable, resolving relative paths from the working directory', () => {
    const result = collectorOptionsFromEnv(
      {
        COLLECTOR_PORT: '9000',
        DATABASE_URL: 'postgres://u@127.0.0.1/db',
        COLLECTOR_ALLOWED_ORIGINS: 'https://shop.example, http://127.0.0.1:3000',
        POLICY_DIR: 'bundle',
      },
      '/srv',
    );

    expect(result).toMatchObject({
      ok: true,
      value: {
        port: 9000,
        databaseUrl: 'postgres://u@127.0.0.1/db',
        dataDir: undefined,
        allowedOrigins: ['https://shop.example', 'http://127.0.0.1:3000'],
        policyDir: '/srv/bundle',
      },
    });
  });

  it.each([
    ['COLLECTOR_PORT', 'eighty'],
    ['COLLECTOR_PORT', '70000'],
    ['DATABASE_URL', 'mysql://db'],
    ['COLLECTOR_ALLOWED_ORIGINS', 'https://shop.example/path'],
  ])('refuses %s=%s', (name, value) => {
    const result = collectorOptionsFromEnv({ [name]: value });

    expect(!result.ok && result.error.message).toContain(name);
  });
});

describe(escapeHtml, () => {
  it('escapes every character that can open markup or close an attribute', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;',
    );
  });
});
