// The widget's fixture notices are what the committed policy bundle answers in a browser, and the
// widget renders a notice straight from the compiled WebAssembly.
import { page, userEvent } from 'vitest/browser';
import { beforeAll, describe, expect, it } from 'vitest';

import type { ConsentRecord, Notice, Result } from '@consentgate/core';
import { createWidget } from '@consentgate/widget';
import type { ConsentStorage } from '@consentgate/widget';

import { loadEngine } from '../../demo/src/playground/engine.js';
import type { Engine } from '../../demo/src/playground/engine.js';
import {
  EU,
  INPUTS,
  JP,
  POLICY_DIGEST,
  US_CA,
  US_CA_GPC,
} from '../../packages/widget/src/fixtures/notices.js';

let engine: Engine;

beforeAll(async () => {
  engine = await loadEngine();
});

/** Storage that keeps receipts in an array and has nothing else stored. */
function arrayStorage(records: ConsentRecord[]): ConsentStorage {
  const done = <T>(value: T): Promise<Result<T>> => Promise.resolve({ ok: true, value });
  return {
    consent: {
      append: (receipt) => {
        const record = { ...receipt, id: String(records.length), previous: null };
        records.push(record);
        return done(record);
      },
      latest: () => done(records.at(-1) ?? null),
      history: () => done([...records]),
    },
    events: { list: () => done([]) },
    audit: { list: () => done([]) },
    eraseAll: () => done(undefined),
    export: () => done({}),
  };
}

describe('widget fixtures', () => {
  it.each<[keyof typeof INPUTS, Notice]>([
    ['eu', EU],
    ['us-ca', US_CA],
    ['us-ca-gpc', US_CA_GPC],
    ['jp', JP],
  ])('match the notice the compiled bundle gives for %s', (name, fixture) => {
    expect(engine.notice(INPUTS[name])).toEqual(fixture);
  });

  it('cite the digest of the committed bundle', () => {
    expect(POLICY_DIGEST).toBe(engine.digest);
  });
});

describe(createWidget, () => {
  it('renders the notice the WebAssembly policy evaluated in this browser and records a receipt', async () => {
    const records: ConsentRecord[] = [];
    const widget = createWidget({
      notice: engine.notice({ jurisdiction: 'DE', signals: { gpc: true } }),
      policyDigest: engine.digest,
      storage: arrayStorage(records),
      locale: 'en',
    });
    await widget.ready;

    await expect.element(page.getByText('Global Privacy Control honoured')).toBeVisible();
    await userEvent.click(page.getByRole('button', { name: 'Accept all' }));
    await expect.poll(() => records).toHaveLength(1);
    widget.destroy();

    const [record] = records as [ConsentRecord];
    expect(record).toMatchObject({
      jurisdiction: 'EU',
      policy_digest: engine.digest,
      signals: { gpc: true },
      purposes: { analytics: true, personalization: true, marketing: false },
    });
    const decision = engine.collect({
      now: Date.now(),
      jurisdiction: 'EU',
      consent: record,
      event: { type: 'track', name: 'Product Viewed', keys: ['sku'] },
    });
    expect(decision.allow).toBe(true);
  });
});
