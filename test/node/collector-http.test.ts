// The collector over real HTTP with a real database: PGlite in memory, and a PostgreSQL server too
// when COLLECTOR_TEST_DATABASE_URL is set.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { createCollector } from '../../demo/server/create-collector.js';
import type { Database } from '../../demo/server/database.js';
import type { RunningCollector } from '../../demo/server/start-collector.js';
import {
  countAll,
  countRows,
  makeBatch,
  makeEvent,
  makeReceipt,
  NOW,
  post,
  resetDatabase,
  sendBatch,
  startTestCollector,
  testBackends,
} from '../support/collector-fixtures.js';

/** PGlite's first start in a worker compiles PostgreSQL and runs initdb: seconds, not millis. */
const DATABASE_START_TIMEOUT = 120_000;

const ORIGIN = 'http://127.0.0.1:5173';

describe(createCollector, () => {
  describe.each(testBackends())('on $name', (backend) => {
    let db: Database;
    let running: RunningCollector;
    let base: string;

    beforeAll(async () => {
      db = await backend.open();
    }, DATABASE_START_TIMEOUT);

    afterAll(() => backend.dispose(db));

    beforeEach(async () => {
      running = await startTestCollector({ database: db });
      base = running.url;
      await resetDatabase(db);
    });

    afterEach(() => running.close());

    describe('POST /v1/batch', () => {
      it('stores an allowed batch and lists its events', async () => {
        const track = makeEvent();
        const page = makeEvent({
          type: 'page',
          event: undefined,
          properties: { path: '/products/1', title: '湯呑み' },
        });

        const { status, answer } = await sendBatch(base, makeBatch([track, page]));
        const listed = await fetch(new URL('/v1/events?anonymousId=visitor-1', base));
        const { events } = (await listed.json()) as { events: Record<string, unknown>[] };

        expect(status).toBe(200);
        expect(answer).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
        expect(await countAll(db)).toEqual({ events: 2, receipts: 1, rejections: 0, erasures: 0 });
        expect(events).toHaveLength(2);
        expect(events).toContainEqual(
          expect.objectContaining({
            messageId: track.messageId,
            type: 'track',
            name: 'Product Viewed',
            purpose: 'analytics',
            anonymousId: 'visitor-1',
            receiptId: 'receipt-1',
            properties: { sku: 'SKU-1', price: 1200, currency: 'JPY' },
            sentAt: new Date(NOW).toISOString(),
            receivedAt: new Date(NOW).toISOString(),
          }),
        );
        expect(events).toContainEqual(
          expect.objectContaining({ messageId: page.messageId, name: 'Page Viewed' }),
        );
      });

      it('stores a repeated messageId once and counts the repeats as duplicates', async () => {
        const event = makeEvent();

        const first = await sendBatch(base, makeBatch([event, event]));
        const retry = await sendBatch(base, makeBatch([event]));
        const stats = (await (await fetch(new URL('/v1/stats', base))).json()) as Record<
          string,
          unknown
        >;

        expect(first.answer).toEqual({ accepted: 1, duplicates: 1, rejected: [] });
        expect(retry.answer).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
        expect(await countRows(db, 'events')).toBe(1);
        expect(await countRows(db, 'receipts')).toBe(1);
        expect(stats).toMatchObject({ accepted: 1, duplicates: 2, rejected: 0 });
      });

      it('rejects a forged batch claiming marketing that the receipt declined', async () => {
        const forged = makeEvent({ purpose: 'marketing', properties: { sku: 'SKU-SECRET-VALUE' } });

        const { status, answer } = await sendBatch(base, makeBatch([forged]));

        expect(status).toBe(200);
        expect(answer.accepted).toBe(0);
        expect(answer.rejected).toHaveLength(1);
        expect(answer.rejected[0]?.messageId).toBe(forged.messageId);
        expect(answer.rejected[0]?.reasons).toContain('egress-denied:consent-declined');
        expect(await countAll(db)).toEqual({ events: 0, receipts: 0, rejections: 1, erasures: 0 });
      });

      it('keeps only metadata of a rejected event, never its values or visitor', async () => {
        const forged = makeEvent({ purpose: 'marketing', properties: { sku: 'SKU-SECRET-VALUE' } });

        await sendBatch(base, makeBatch([forged]));
        const { rows } = await db.query('SELECT * FROM rejections');

        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({
          message_id: forged.messageId,
          name: 'Product Viewed',
          purpose: 'marketing',
        });
        expect(JSON.stringify(rows)).not.toContain('SKU-SECRET-VALUE');
        expect(JSON.stringify(rows)).not.toContain('visitor-1');
      });

      it('rejects a property the policy does not let through, without stripping it', async () => {
        const checkout = makeEvent({
          event: 'Checkout Started',
          properties: { value: 3600, currency: 'JPY', email: 'hanako@example.com' },
        });

        const { answer } = await sendBatch(base, makeBatch([checkout]));

        expect(answer.accepted).toBe(0);
        expect(answer.rejected).toEqual([
          { messageId: checkout.messageId, reasons: ['field-not-allowed:email'] },
        ]);
        expect(await countRows(db, 'events')).toBe(0);
      });

      it('rejects an event that cites another receipt or another policy', async () => {
        const otherReceipt = makeEvent({ receiptId: 'receipt-2' });
        const otherPolicy = makeEvent({ policyDigest: 'a'.repeat(64) });

        const { answer } = await sendBatch(base, makeBatch([otherReceipt, otherPolicy]));

        expect(answer.rejected).toEqual([
          { messageId: otherReceipt.messageId, reasons: ['receipt-mismatch'] },
          { messageId: otherPolicy.messageId, reasons: ['policy-digest-mismatch'] },
        ]);
        expect(await countAll(db)).toEqual({ events: 0, receipts: 0, rejections: 2, erasures: 0 });
      });

      it('rejects marketing under a California receipt sent with Global Privacy Control', async () => {
        const receipt = makeReceipt({
          jurisdiction: 'US-CA',
          signals: { gpc: true },
          purposes: { analytics: true, marketing: true },
        });
        const marketing = makeEvent({ purpose: 'marketing' });
        const analytics = makeEvent();

        const { answer } = await sendBatch(base, makeBatch([marketing, analytics], receipt));

        expect(answer.accepted).toBe(1);
        expect(answer.rejected).toHaveLength(1);
        expect(answer.rejected[0]?.reasons).toContain('egress-denied:gpc-opt-out');
        expect(await countRows(db, 'events')).toBe(1);
      });

      it('rejects analytics when the EU receipt gives no answer for it', async () => {
        const receipt = makeReceipt({ purposes: {} });

        const { answer } = await sendBatch(base, makeBatch([makeEvent()], receipt));

        expect(answer.rejected[0]?.reasons).toEqual(['egress-denied:consent-required']);
        expect(await countAll(db)).toEqual({ events: 0, receipts: 0, rejections: 1, erasures: 0 });
      });

      it('rejects identify calls, which the storefront catalog does not list', async () => {
        const identify = makeEvent({
          type: 'identify',
          event: undefined,
          properties: undefined,
          traits: { plan: 'gold' },
        });

        const { answer } = await sendBatch(base, makeBatch([identify]));

        expect(answer.rejected[0]?.reasons).toContain('egress-denied:unknown-event');
        expect(await countRows(db, 'events')).toBe(0);
      });

      it('rejects malformed events one by one and keeps the good ones', async () => {
        const good = makeEvent();
        const noId = makeEvent({ messageId: undefined });
        const badTime = makeEvent({ timestamp: 'yesterday' });
        const traitsOnTrack = makeEvent({ traits: { email: 'x@example.com' } });
        const arrayProps = makeEvent({ properties: ['sku'] });

        const { answer } = await sendBatch(
          base,
          makeBatch([good, noId, badTime, traitsOnTrack, arrayProps, 42, null]),
        );

        expect(answer.accepted).toBe(1);
        expect(answer.rejected.map((r) => r.reasons)).toEqual(
          Array.from({ length: 6 }, () => ['invalid-event']),
        );
        // WireRejection: an event without a usable messageId is answered without one.
        expect(answer.rejected[0]).not.toHaveProperty('messageId');
        expect(await countAll(db)).toEqual({ events: 1, receipts: 1, rejections: 6, erasures: 0 });
      });

      it('accepts an event without identifiers, which stays unlinkable', async () => {
        const { answer } = await sendBatch(
          base,
          makeBatch([makeEvent({ anonymousId: undefined })]),
        );

        expect(answer).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
        expect(await countAll(db)).toEqual({ events: 1, receipts: 1, rejections: 0, erasures: 0 });
      });

      it('rejects events whose receipt id was stored before with other choices', async () => {
        await sendBatch(base, makeBatch([makeEvent()]));
        const tampered = makeReceipt({ purposes: { analytics: true, marketing: true } });

        const { answer } = await sendBatch(base, makeBatch([makeEvent()], tampered));

        expect(answer.accepted).toBe(0);
        expect(answer.rejected[0]?.reasons).toEqual(['receipt-conflict']);
        expect(await countAll(db)).toEqual({ events: 1, receipts: 1, rejections: 1, erasures: 0 });
      });

      it('accepts text/plain bodies, as sendBeacon sends them', async () => {
        const response = await post(base, '/v1/batch', makeBatch([makeEvent()]), {
          'content-type': 'text/plain;charset=UTF-8',
        });

        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
        expect(await countRows(db, 'events')).toBe(1);
      });

      it('answers 415 to other content types', async () => {
        const response = await post(base, '/v1/batch', makeBatch([makeEvent()]), {
          'content-type': 'application/x-www-form-urlencoded',
        });

        expect(response.status).toBe(415);
        expect(await countAll(db)).toEqual({ events: 0, receipts: 0, rejections: 0, erasures: 0 });
      });

      it.each([
        ['not JSON', '{"batch": ['],
        ['a JSON array', '[]'],
        ['a batch that is not an array', JSON.stringify({ ...makeBatch([]), batch: {} })],
        ['a missing receipt', JSON.stringify({ ...makeBatch([]), receipt: undefined })],
        [
          'a receipt with a non-boolean choice',
          JSON.stringify(makeBatch([], makeReceipt({ purposes: { analytics: 'true' as never } }))),
        ],
        ['a missing sentAt', JSON.stringify({ ...makeBatch([]), sentAt: undefined })],
        ['nesting 10,000 deep', `${'['.repeat(10_000)}${']'.repeat(10_000)}`],
      ])('answers 400 to %s', async (_label, body) => {
        const response = await post(base, '/v1/batch', body);

        expect(response.status).toBe(400);
        expect(await response.json()).toEqual({ error: expect.any(String) as string });
        expect(await countAll(db)).toEqual({ events: 0, receipts: 0, rejections: 0, erasures: 0 });
      });

      it('answers 400 to a body that is not UTF-8', async () => {
        const text = new TextEncoder().encode(JSON.stringify(makeBatch([makeEvent()])));
        const body = new Uint8Array([...text.slice(0, 20), 0xc3, 0x28, ...text.slice(20)]);

        const response = await post(base, '/v1/batch', body);

        expect(response.status).toBe(400);
        expect(await countRows(db, 'events')).toBe(0);
      });

      it('answers 413 to a body over 68 KiB and stores nothing', async () => {
        const padding = 'x'.repeat(70 * 1024);
        const event = makeEvent({ properties: { sku: padding } });

        const response = await post(base, '/v1/batch', makeBatch([event]));

        expect(response.status).toBe(413);
        expect(await countAll(db)).toEqual({ events: 0, receipts: 0, rejections: 0, erasures: 0 });
      });

      it('answers 413 to a streamed body once it passes 68 KiB', async () => {
        const chunk = new TextEncoder().encode(' '.repeat(16 * 1024));
        let sent = 0;
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            // Bounded: stops after 1 MiB whatever the server does.
            if ((sent += 1) > 64) controller.close();
            else controller.enqueue(chunk);
          },
        });

        const response = await fetch(new URL('/v1/batch', base), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          duplex: 'half',
        } as RequestInit);

        expect(response.status).toBe(413);
        expect(await countAll(db)).toEqual({ events: 0, receipts: 0, rejections: 0, erasures: 0 });
      });

      it('treats __proto__ keys as plain, refused properties', async () => {
        const body = JSON.stringify(makeBatch([makeEvent()])).replace(
          '"properties":{',
          '"properties":{"__proto__":{"polluted":true},"constructor":1,',
        );

        const response = await post(base, '/v1/batch', body);
        const answer = (await response.json()) as { rejected: { reasons: string[] }[] };

        expect(response.status).toBe(200);
        expect(answer.rejected[0]?.reasons).toEqual([
          'field-not-allowed:__proto__',
          'field-not-allowed:constructor',
        ]);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(await countRows(db, 'events')).toBe(0);
      });

      it('rejects strings PostgreSQL cannot store instead of failing the batch', async () => {
        const loneSurrogate = makeEvent({ properties: { sku: '\ud800' } });
        const nul = makeEvent({ properties: { sku: 'a\u0000b' } });

        const { status, answer } = await sendBatch(base, makeBatch([loneSurrogate, nul]));

        expect(status).toBe(200);
        expect(answer.rejected.map((r) => r.reasons)).toEqual([
          ['invalid-event'],
          ['invalid-event'],
        ]);
        expect(await countRows(db, 'events')).toBe(0);
      });
    });

    describe('CORS', () => {
      it('answers a preflight from an allowed origin', async () => {
        const response = await fetch(new URL('/v1/batch', base), {
          method: 'OPTIONS',
          headers: {
            origin: ORIGIN,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'content-type',
          },
        });

        expect(response.status).toBe(204);
        expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
        expect(response.headers.get('access-control-allow-methods')).toContain('POST');
        expect(response.headers.get('access-control-allow-headers')).toMatch(/content-type/i);
        expect(response.headers.get('vary')).toBe('Origin');
      });

      it('refuses a preflight from any other origin', async () => {
        const response = await fetch(new URL('/v1/batch', base), {
          method: 'OPTIONS',
          headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
        });

        expect(response.status).toBe(403);
        expect(response.headers.get('access-control-allow-origin')).toBeNull();
      });

      it('echoes an allowed origin on a batch and refuses a batch from another origin', async () => {
        const allowed = await post(base, '/v1/batch', makeBatch([makeEvent()]), {
          'content-type': 'text/plain',
          origin: ORIGIN,
        });
        const foreign = await post(base, '/v1/batch', makeBatch([makeEvent()]), {
          'content-type': 'text/plain',
          origin: 'https://evil.example',
        });

        expect(allowed.status).toBe(200);
        expect(allowed.headers.get('access-control-allow-origin')).toBe(ORIGIN);
        expect(foreign.status).toBe(403);
        expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
        expect(await countRows(db, 'events')).toBe(1);
      });
    });

    describe('POST /v1/erase', () => {
      it("deletes a visitor's events and receipts and leaves others alone", async () => {
        await sendBatch(base, makeBatch([makeEvent(), makeEvent()]));
        const other = makeReceipt({ id: 'receipt-other' });
        await sendBatch(
          base,
          makeBatch([makeEvent({ anonymousId: 'visitor-2', receiptId: 'receipt-other' })], other),
        );

        const response = await post(base, '/v1/erase', { anonymousId: 'visitor-1' });
        const remaining = await fetch(new URL('/v1/events', base));
        const { events } = (await remaining.json()) as { events: { anonymousId: string }[] };

        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({ erased: { events: 2, receipts: 1 } });
        expect(await countAll(db)).toEqual({ events: 1, receipts: 1, rejections: 0, erasures: 1 });
        expect(events.map((event) => event.anonymousId)).toEqual(['visitor-2']);
      });

      it('deletes by receipt id, including events that cite it', async () => {
        await sendBatch(base, makeBatch([makeEvent()]));

        const response = await post(base, '/v1/erase', { receiptIds: ['receipt-1'] });

        expect(await response.json()).toEqual({ erased: { events: 1, receipts: 1 } });
        expect(await countAll(db)).toEqual({ events: 0, receipts: 0, rejections: 0, erasures: 1 });
      });

      it('logs counts and time only', async () => {
        await sendBatch(base, makeBatch([makeEvent()]));

        await post(base, '/v1/erase', { anonymousId: 'visitor-1' });
        const { rows } = await db.query('SELECT events, receipts, erased_at FROM erasures');

        expect(rows).toEqual([{ events: 1, receipts: 1, erased_at: new Date(NOW) }]);
      });

      it('answers 400 when nobody is named', async () => {
        const response = await post(base, '/v1/erase', { receiptIds: [] });

        expect(response.status).toBe(400);
        expect(await countRows(db, 'erasures')).toBe(0);
      });
    });

    describe('GET', () => {
      it('answers /healthz with ok', async () => {
        const response = await fetch(new URL('/healthz', base));

        expect(response.status).toBe(200);
        expect(await response.text()).toBe('ok\n');
      });

      it('counts rejections by reason in /v1/stats', async () => {
        await sendBatch(
          base,
          makeBatch([
            makeEvent({ purpose: 'marketing' }),
            makeEvent({ receiptId: 'receipt-9' }),
            makeEvent(),
          ]),
        );

        const stats = (await (await fetch(new URL('/v1/stats', base))).json()) as {
          rejectedByReason: Record<string, number>;
        };

        expect(stats).toMatchObject({
          accepted: 1,
          duplicates: 0,
          rejected: 2,
          stored: { events: 1, receipts: 1 },
          erasures: 0,
        });
        expect(stats.rejectedByReason).toMatchObject({
          'egress-denied:consent-declined': 1,
          'receipt-mismatch': 1,
        });
      });

      it('serves the page with a strict CSP, escaped values and its stylesheet', async () => {
        await sendBatch(
          base,
          makeBatch([makeEvent(), makeEvent({ event: '<script>alert(1)</script>' })]),
        );

        const page = await fetch(new URL('/', base));
        const html = await page.text();
        const css = await fetch(new URL('/collector.css', base));

        expect(page.status).toBe(200);
        expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
        expect(page.headers.get('content-security-policy')).toBe(
          "default-src 'none'; style-src 'self'",
        );
        expect(html).toContain('Product Viewed');
        expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
        expect(html).not.toContain('<script');
        expect(html).toContain('egress-denied:unknown-event');
        expect(css.status).toBe(200);
        expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
      });

      it('answers 405 to a wrong method and 404 to an unknown path', async () => {
        const wrong = await fetch(new URL('/v1/batch', base));
        const unknown = await fetch(new URL('/v2/batch', base), { method: 'POST' });

        expect(wrong.status).toBe(405);
        expect(wrong.headers.get('allow')).toBe('POST, OPTIONS');
        expect(unknown.status).toBe(404);
      });

      it('answers 400 to a bad limit', async () => {
        const response = await fetch(new URL('/v1/events?limit=-1', base));

        expect(response.status).toBe(400);
      });
    });
  });
});
