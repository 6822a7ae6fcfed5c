// The collector fails closed: a broken policy bundle rejects every event, a broken database
// answers 503 with Retry-After, and neither stops the server.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { createCollector } from '../../demo/server/create-collector.js';
import { openDatabase } from '../../demo/server/database.js';
import type { Database } from '../../demo/server/database.js';
import { startCollector } from '../../demo/server/start-collector.js';
import type { RunningCollector } from '../../demo/server/start-collector.js';
import {
  countAll,
  createFlakyDatabase,
  makeBatch,
  makeEvent,
  POLICY_DIR,
  post,
  resetDatabase,
  sendBatch,
  startTestCollector,
} from '../support/collector-fixtures.js';
import type { FlakyDatabase } from '../support/collector-fixtures.js';

const DATABASE_START_TIMEOUT = 120_000;

let db: Database;
let scratch: string;

beforeAll(async () => {
  const opened = await openDatabase();
  if (!opened.ok) throw opened.error;
  db = opened.value;
  scratch = await mkdtemp(join(tmpdir(), 'cg-collector-'));
}, DATABASE_START_TIMEOUT);

afterAll(async () => {
  await db.close();
  await rm(scratch, { recursive: true, force: true });
});

/** Copies the committed bundle to a fresh folder and returns its path. */
async function copyBundle(name: string): Promise<string> {
  const dir = join(scratch, name);
  await cp(fileURLToPath(POLICY_DIR), dir, { recursive: true });
  return dir;
}

describe(createCollector, () => {
  describe('with a policy bundle it cannot verify', () => {
    let running: RunningCollector | undefined;

    afterEach(async () => {
      await running?.close();
      running = undefined;
    });

    it.each([
      [
        'a flipped byte in policy.wasm',
        async () => {
          const dir = await copyBundle('flipped');
          const file = join(dir, 'policy.wasm');
          const bytes = await readFile(file);
          bytes[bytes.length >> 1] = (bytes[bytes.length >> 1] ?? 0) ^ 0xff;
          await writeFile(file, bytes);
          return { policyDir: dir };
        },
      ],
      [
        'a missing data.json',
        async () => {
          const dir = await copyBundle('missing');
          await rm(join(dir, 'data.json'));
          return { policyDir: dir };
        },
      ],
      ['another pinned digest', () => Promise.resolve({ policyDigest: 'b'.repeat(64) })],
    ])('rejects every event as policy-unavailable with %s', async (_label, setup) => {
      running = await startTestCollector({ database: db, ...(await setup()) });
      await resetDatabase(db);
      const events = [makeEvent(), makeEvent({ type: 'page', event: undefined, properties: {} })];

      const { status, answer } = await sendBatch(running.url, makeBatch(events));
      const health = await fetch(new URL('/healthz', running.url));

      expect(running.collector.policy.ready).toBe(false);
      expect(status).toBe(200);
      expect(answer).toEqual({
        accepted: 0,
        duplicates: 0,
        rejected: events.map((event) => ({
          messageId: event.messageId,
          reasons: ['policy-unavailable'],
        })),
      });
      expect(await countAll(db)).toEqual({ events: 0, receipts: 0, rejections: 2, erasures: 0 });
      expect(health.status).toBe(503);
      expect(await health.text()).toMatch(/^policy-unavailable: policy\//);
    });

    it('says so on its page', async () => {
      const dir = await copyBundle('page');
      await rm(join(dir, 'manifest.json'));
      running = await startTestCollector({ database: db, policyDir: dir });

      const html = await (await fetch(new URL('/', running.url))).text();

      expect(html).toContain('Policy unavailable: every event is rejected.');
    });
  });

  describe('with a database that fails', () => {
    let flaky: FlakyDatabase;
    let running: RunningCollector;

    beforeEach(async () => {
      flaky = createFlakyDatabase(db);
      running = await startTestCollector({ database: flaky });
      await resetDatabase(db);
      flaky.failing = true;
    });

    afterEach(() => running.close());

    it.each([
      ['POST /v1/batch', () => post(running.url, '/v1/batch', makeBatch([makeEvent()]))],
      ['POST /v1/erase', () => post(running.url, '/v1/erase', { anonymousId: 'visitor-1' })],
      ['GET /v1/events', () => fetch(new URL('/v1/events', running.url))],
      ['GET /v1/stats', () => fetch(new URL('/v1/stats', running.url))],
      ['GET /healthz', () => fetch(new URL('/healthz', running.url))],
      ['GET /', () => fetch(new URL('/', running.url))],
    ])('answers %s with 503 and Retry-After: 5', async (_label, request) => {
      const response = await request();

      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
    });

    it('stores the retried batch once the database is back', async () => {
      const batch = makeBatch([makeEvent()]);
      const failed = await post(running.url, '/v1/batch', batch);

      flaky.failing = false;
      const retried = await sendBatch(running.url, batch);

      expect(failed.status).toBe(503);
      expect(retried.answer).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
      expect(await countAll(db)).toEqual({ events: 1, receipts: 1, rejections: 0, erasures: 0 });
    });
  });

  it('returns an error for a PostgreSQL server it cannot reach', async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const created = await createCollector({ databaseUrl: 'postgres://nobody@127.0.0.1:1/none' });

    expect(created.ok).toBe(false);
    expect(!created.ok && created.error.code).toBe('collector/database-unavailable');
  });

  it('returns an error for a database URL that is not PostgreSQL', async () => {
    const created = await createCollector({ databaseUrl: 'mysql://localhost/db' });

    expect(!created.ok && created.error.code).toBe('collector/invalid-options');
  });
});

describe(startCollector, () => {
  it('returns an error when the port is taken', async () => {
    const first = await startTestCollector({ database: db });
    const port = Number(new URL(first.url).port);

    const second = await startCollector({ database: db, port, log: () => {} });
    await first.close();

    expect(second.ok).toBe(false);
    expect(!second.ok && second.error.code).toBe('collector/listen-failed');
  });
});
