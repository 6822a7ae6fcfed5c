// The embedded database keeps what the collector stored across a restart (PGlite on disk).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startCollector } from '../../demo/server/start-collector.js';
import {
  makeBatch,
  makeEvent,
  sendBatch,
  startTestCollector,
} from '../support/collector-fixtures.js';

const DATABASE_START_TIMEOUT = 120_000;

let dataDir: string;

beforeAll(async () => {
  dataDir = join(await mkdtemp(join(tmpdir(), 'cg-collector-disk-')), 'collector');
});

afterAll(() => rm(join(dataDir, '..'), { recursive: true, force: true }));

describe(startCollector, () => {
  it(
    'keeps events, receipts and counters in its data directory across a restart',
    async () => {
      const event = makeEvent();
      const first = await startTestCollector({ dataDir });
      const stored = await sendBatch(first.url, makeBatch([event]));
      await first.close();

      const second = await startTestCollector({ dataDir });
      const listed = (await (await fetch(new URL('/v1/events', second.url))).json()) as {
        events: { messageId: string }[];
      };
      const retry = await sendBatch(second.url, makeBatch([event]));
      const stats = (await (await fetch(new URL('/v1/stats', second.url))).json()) as unknown;
      const { rows } = await second.collector.database.query(
        'SELECT version FROM schema_migrations',
      );
      await second.close();

      expect(stored.answer).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
      expect(listed.events.map((e) => e.messageId)).toEqual([event.messageId]);
      expect(retry.answer).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
      expect(stats).toMatchObject({
        accepted: 1,
        duplicates: 1,
        stored: { events: 1, receipts: 1 },
      });
      expect(rows).toEqual([{ version: 1 }]);
    },
    DATABASE_START_TIMEOUT,
  );
});
