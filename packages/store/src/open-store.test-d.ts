import { describe, expectTypeOf, it } from 'vitest';

import type { ConsentGateError, ConsentRecord, Result } from '@consentgate/core';

import type { Store } from './store.js';
import type { PurgeReport, PurposeCount, StoredEvent } from './records.js';

declare const store: Store;

describe('Store', () => {
  it('types each event by its contract', () => {
    store.on('store:purged', (report) => {
      expectTypeOf(report).toEqualTypeOf<Readonly<PurgeReport>>();
    });
    store.on('record:expired', (expired) => {
      expectTypeOf(expired).toEqualTypeOf<Readonly<PurposeCount>>();
    });
    store.on('store:fallback', (error) => {
      expectTypeOf(error).toEqualTypeOf<ConsentGateError>();
    });
    store.on('error', (error, source) => {
      expectTypeOf(error).toEqualTypeOf<ConsentGateError>();
      expectTypeOf(source).toBeString();
    });
    // @ts-expect-error: not an event of the store
    store.on('event:sent', () => undefined);
  });

  it('returns Results that must be narrowed', async () => {
    const listed = await store.events.list();
    const latest = await store.consent.latest();

    expectTypeOf(listed).toEqualTypeOf<Result<readonly StoredEvent[]>>();
    expectTypeOf(latest).toEqualTypeOf<Result<ConsentRecord | undefined>>();
    // @ts-expect-error: a Result must be narrowed on `ok` before its value is read
    void listed.value;
  });

  it('requires what a record cannot do without', () => {
    // @ts-expect-error: expiresAt is required
    void store.events.put([{ name: 'x', purpose: 'analytics', fields: {}, policyDigest: 'd' }]);
  });
});
