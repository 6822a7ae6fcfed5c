// The script-tag distribution as a site uses it: the BUILT consentgate.js and its chunks, served
// by test/support/consentgate-pages.ts to pages with a real Content-Security-Policy header, in
// iframes of real Chromium. Each page records console errors, uncaught exceptions, CSP violations
// and ConsentGate's events (test/support/consentgate-page-recorder.ts); what may not be collected
// is asserted as exact zeros: requests to the fake collector, records and outbox entries in
// IndexedDB.
import { page } from 'vitest/browser';
import type { FrameLocator } from 'vitest/browser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { ErrorCode, toSriDigest } from '@consentgate/core';
import type { OutgoingMessage, TrackResult } from '@consentgate/sdk';

import { CONSENTGATE_PAGES, STUBS_CALLED, TAMPERED_CODE } from '../support/consentgate-probe.js';
import type { Probe, ProbeWindow, ScriptTagPage } from '../support/consentgate-probe.js';
import { FAKE_COLLECTOR } from '../support/fake-collector.js';
import type { FakeRequest } from '../support/fake-collector.js';
import type { BundleManifest } from '../support/golden.js';

/**
 * The strictest CSP ConsentGate works under: nothing by default, scripts from 'self' plus
 * WebAssembly compilation, requests to 'self' (the bundle and the collector). No inline script,
 * no eval, no blob:, no styles at all (the widget uses constructable stylesheets).
 */
const STRICT = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "connect-src 'self'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

/** Trusted Types enforced, with only ConsentGate's policy allowed. */
const TRUSTED_TYPES = `${STRICT}; require-trusted-types-for 'script'; trusted-types consentgate`;

const SALT = 'a-test-salt-of-some-length';
const VIEWED = { sku: 'A1', price: 1200, currency: 'JPY' };

let digest: string;
let sri: Record<string, string>;
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  const manifest = (await (await fetch('/policies/dist/manifest.json')).json()) as BundleManifest;
  digest = toSriDigest(manifest.digest);
  sri = (await (await fetch(`${CONSENTGATE_PAGES}sri.json`)).json()) as Record<string, string>;
});

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

interface Options extends Partial<Omit<ScriptTagPage, 'attributes'>> {
  readonly attributes?: Readonly<Record<string, string>>;
}

/** A page in an iframe: its window once loaded, its recorder, and where its data would go. */
interface OpenedPage {
  readonly frame: HTMLIFrameElement;
  readonly ui: FrameLocator;
  /** Resolves once the page fired `load` (every script the tag inserted has run or failed). */
  readonly loaded: Promise<ProbeWindow>;
  readonly id: string;
  readonly inbox: string;
  readonly database: string;
}

/** Describes a page to the plugin and opens it in an iframe; `attributes` add to the defaults. */
async function openPage(options: Options = {}): Promise<OpenedPage> {
  const id = `p${crypto.randomUUID()}`;
  const database = `consentgate-${id}`;
  const setup: ScriptTagPage = {
    csp: STRICT,
    loading: 'async',
    ...options,
    attributes: {
      policy: '/policies/dist/manifest.json',
      'policy-digest': digest,
      collector: `${FAKE_COLLECTOR}${id}/v1/batch`,
      jurisdiction: 'EU',
      salt: SALT,
      store: database,
      ...options.attributes,
    },
  };
  await fetch(`${CONSENTGATE_PAGES}${id}/setup`, { method: 'POST', body: JSON.stringify(setup) });
  const frame = document.createElement('iframe');
  // As wide as the tester's viewport, so the visitor's clicks land inside it.
  frame.style.width = '100%';
  frame.style.height = '700px';
  const loaded = new Promise<ProbeWindow>((resolve) =>
    frame.addEventListener('load', () => resolve(frame.contentWindow as ProbeWindow), {
      once: true,
    }),
  );
  frame.src = `${CONSENTGATE_PAGES}${id}/index.html`;
  document.body.append(frame);
  cleanups.push(() => frame.remove());
  return {
    frame,
    ui: page.frameLocator(page.elementLocator(frame)),
    loaded,
    id,
    inbox: id,
    database,
  };
}

/** Opens a page and returns its window once ConsentGate is ready (or failed to load). */
async function ready(options: Options = {}): Promise<OpenedPage & { win: ProbeWindow }> {
  const opened = await openPage(options);
  const win = await opened.loaded;
  await win.ConsentGate.ready;
  return { ...opened, win };
}

/**
 * `value` as the page's own object: the sdk refuses objects of another realm (their prototype is
 * not the page's `Object.prototype`), and a site calls from its own realm anyway.
 */
function inPage<T>(win: ProbeWindow, value: T): T {
  const realm = win as unknown as typeof globalThis;
  return realm.JSON.parse(JSON.stringify(value)) as T;
}

/** Every message the fake collector received for `inbox`. */
async function collected(inbox: string): Promise<{ requests: number; events: string[] }> {
  const requests = (await (
    await fetch(`${FAKE_COLLECTOR}${inbox}/requests`)
  ).json()) as FakeRequest[];
  const messages = requests.flatMap((r) => (r.body as { batch: OutgoingMessage[] }).batch);
  return {
    requests: requests.length,
    events: messages.map((m) => `${m.event} ${m.properties.sku as string}`),
  };
}

/** What the page's IndexedDB database holds: whether it exists, records and outbox entries. */
async function storedIn(
  name: string,
): Promise<{ exists: boolean; events: number; outbox: number; receipts: number }> {
  const exists = (await indexedDB.databases()).some((db) => db.name === name);
  if (!exists) return { exists, events: 0, outbox: 0, receipts: 0 };
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(name);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('open failed'));
  });
  const count = (store: string) =>
    new Promise<number>((resolve, reject) => {
      const request = db.transaction(store).objectStore(store).count();
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('count failed'));
    });
  try {
    return {
      exists,
      events: await count('events'),
      outbox: await count('outbox'),
      receipts: await count('consent'),
    };
  } finally {
    db.close();
  }
}

/** The widget's dialog inside the page's `<consentgate-widget>` shadow root, if shown. */
function dialogIn(win: ProbeWindow): Element | null {
  const host = win.document.querySelector('consentgate-widget');
  return host?.shadowRoot?.querySelector('[role="dialog"]') ?? null;
}

/** Clicks "Accept all" as a visitor does and waits until the dialog is gone. */
async function acceptAll(ui: FrameLocator): Promise<void> {
  await ui.getByRole('button', { name: 'Accept all' }).click();
  await expect.element(ui.getByRole('dialog')).not.toBeInTheDocument();
}

/** Tracks one event after the visitor accepted, and asserts it was stored and sent. */
async function acceptAndTrack(opened: OpenedPage & { win: ProbeWindow }): Promise<void> {
  const { win, ui, inbox, database } = opened;

  expect(dialogIn(win)).not.toBeNull();
  await acceptAll(ui);
  await win.__probe.when('consent:updated', 1);
  const result = await win.ConsentGate.track('Product Viewed', inPage(win, VIEWED));
  await win.__probe.when('event:sent', 1);

  expect(result).toEqual({ stored: 3, reasons: [] });
  expect(await storedIn(database)).toMatchObject({ events: 3 });
  expect((await collected(inbox)).events).toEqual(['Product Viewed A1']);
}

/** Asserts the page ran without a console error, escaped exception or CSP violation. */
function expectClean(probe: Probe): void {
  expect(probe.console).toEqual([]);
  expect(probe.uncaught).toEqual([]);
  expect(probe.violations).toEqual([]);
}

describe('consentgate.js', () => {
  for (const loading of ['async', 'defer', 'blocking'] as const) {
    it(`works loaded ${loading} under a strict CSP: banner, accept, a track stored and sent`, async () => {
      const opened = await ready({ loading });

      await acceptAndTrack(opened);

      expectClean(opened.win.__probe);
    });
  }

  it('works under a nonce-based CSP: its chunks carry the nonce of its tag', async () => {
    const nonce = crypto.randomUUID();
    const csp = STRICT.replace("script-src 'self'", `script-src 'nonce-${nonce}'`);
    const opened = await ready({ csp, nonce });

    await acceptAndTrack(opened);

    expectClean(opened.win.__probe);
  });

  it('adds only ConsentGate and dataLayer to window, the Consent Mode default first', async () => {
    const { win } = await ready();

    await win.ConsentGate.setConsent({ analytics: true });
    const commands = (win.dataLayer ?? []).map((c) => Array.from(c as ArrayLike<unknown>));

    expect(commands[0]).toEqual([
      'consent',
      'default',
      {
        ad_storage: 'denied',
        ad_user_data: 'denied',
        ad_personalization: 'denied',
        analytics_storage: 'denied',
        functionality_storage: 'granted',
        personalization_storage: 'denied',
        security_storage: 'granted',
        wait_for_update: 500,
      },
    ]);
    expect(commands.filter(([, kind]) => kind === 'default')).toHaveLength(1);
    expect(commands.at(-1)).toEqual([
      'consent',
      'update',
      expect.objectContaining({ analytics_storage: 'granted', ad_storage: 'denied' }),
    ]);
    expect(win.__probe.globals()).toEqual(['ConsentGate', 'dataLayer']);
  });

  it('loads only the widget file of data-locale and shows the banner in that language', async () => {
    const { win, ui } = await ready({ attributes: { locale: 'ja' } });
    const loaded = win.performance
      .getEntriesByType('resource')
      .map((entry) => entry.name.split('/').pop())
      .filter((file) => file?.startsWith('consentgate.'));

    expect(loaded.sort()).toEqual([
      'consentgate.engine.js',
      'consentgate.js',
      'consentgate.runtime.js',
      'consentgate.widget.ja.js',
    ]);
    await expect.element(ui.getByRole('button', { name: 'すべて同意する' })).toBeVisible();
    expectClean(win.__probe);
  });

  it('ignores a second copy of its tag, saying so once in the console', async () => {
    const { win } = await ready({ twice: true });

    expect(win.__probe.console).toEqual([
      expect.stringContaining(
        'ConsentGate [sdk/invalid-options]: consentgate.js is on the page twice',
      ),
    ]);
    expect(win.document.querySelectorAll('consentgate-widget')).toHaveLength(1);
    expect(win.__probe.errors).toEqual([]);
    expect(win.__probe.uncaught).toEqual([]);
  });

  it('answers every call as denied when data-policy is missing, and says so', async () => {
    const { win, inbox, database } = await ready({ attributes: { policy: '' } });

    const result = await win.ConsentGate.track('Product Viewed', inPage(win, VIEWED));

    expect(result).toEqual({ stored: 0, reasons: [ErrorCode.SdkInvalidOptions] });
    expect(win.__probe.errors).toEqual([ErrorCode.SdkInvalidOptions]);
    expect(win.__probe.console).toEqual([
      expect.stringContaining('ConsentGate [sdk/invalid-options]: data-policy is missing'),
    ]);
    expect(win.__probe.uncaught).toEqual([]);
    expect(await storedIn(database)).toEqual({ exists: false, events: 0, outbox: 0, receipts: 0 });
    expect(await collected(inbox)).toEqual({ requests: 0, events: [] });
  });

  it('replays calls made before it loaded in order: pushes before the tag, stubs after it', async () => {
    const opened = await openPage({
      loading: 'defer',
      before: ['queue'],
      after: ['stubs'],
      hold: ['consentgate.runtime.js'],
    });
    const stubsCalled = new Promise<void>((resolve) =>
      window.addEventListener('message', function onMessage(event: MessageEvent) {
        if (event.source !== opened.frame.contentWindow || event.data !== STUBS_CALLED) return;
        window.removeEventListener('message', onMessage);
        resolve();
      }),
    );
    await stubsCalled;

    await fetch(`${CONSENTGATE_PAGES}${opened.id}/release`, {
      method: 'POST',
      body: 'consentgate.runtime.js',
    });
    const win = await opened.loaded;
    await win.ConsentGate.ready;
    const { results } = win.__probe;
    const [s1, identified, s2] = (await Promise.all([
      results.S1,
      results.identify,
      results.S2,
    ])) as TrackResult[];
    await win.__probe.when('event:sent', 3);

    expect(win.__probe.stubsBeforeLoad).toBe(true);
    expect(s1?.stored).toBe(1);
    expect(identified?.stored).toBe(0);
    expect(s2?.stored).toBe(1);
    expect(win.__probe.timeline.filter((entry) => /^(blocked|stored)/.test(entry))).toEqual([
      'blocked Product Viewed',
      'stored Product Viewed Q2',
      'stored Product Viewed S1',
      'blocked Identify',
      'stored Product Viewed S2',
    ]);
    expect((await collected(opened.inbox)).events).toEqual([
      'Product Viewed Q2',
      'Product Viewed S1',
      'Product Viewed S2',
    ]);
    expectClean(win.__probe);
  });

  describe('when the policy bundle cannot be used', () => {
    it(`reports ${ErrorCode.PolicyCspBlocked} once when the CSP lacks 'wasm-unsafe-eval', collects nothing, and the banner still works`, async () => {
      const { win, ui, inbox, database } = await ready({
        csp: STRICT.replace(" 'wasm-unsafe-eval'", ''),
      });

      expect(dialogIn(win)).not.toBeNull();
      await acceptAll(ui);
      const result = await win.ConsentGate.track('Product Viewed', inPage(win, VIEWED));
      await win.ConsentGate.instance?.tracker.flush();

      expect(result.stored).toBe(0);
      expect(win.__probe.errors).toEqual([ErrorCode.PolicyCspBlocked]);
      expect(win.__probe.console).toEqual([
        expect.stringContaining(`ConsentGate [${ErrorCode.PolicyCspBlocked}]: `),
      ]);
      expect(win.__probe.uncaught).toEqual([]);
      // The bundle was verified, so the answer cites its digest.
      expect(await storedIn(database)).toMatchObject({ events: 0, outbox: 0, receipts: 1 });
      expect(await collected(inbox)).toEqual({ requests: 0, events: [] });
    });

    // Nothing was verified, so there is no digest a receipt could cite: the banner says nothing
    // is collected, and an answer to it is not recorded (the widget says it was not saved).
    const unverified: { when: string; options: Options; code: string }[] = [
      {
        when: 'data-policy-digest names another bundle',
        options: { attributes: { 'policy-digest': toSriDigest('0'.repeat(64)) } },
        code: ErrorCode.PolicyIntegrityMismatch,
      },
      {
        when: 'the bundle is missing (404)',
        options: { bundle: 'missing', attributes: { policy: 'policy/manifest.json' } },
        code: ErrorCode.PolicyFetchFailed,
      },
      {
        when: 'the bundle is corrupted',
        options: { bundle: 'corrupt', attributes: { policy: 'policy/manifest.json' } },
        code: ErrorCode.PolicyIntegrityMismatch,
      },
    ];

    for (const { when, options, code } of unverified) {
      it(`reports ${code} once when ${when}, collects nothing, and records no answer`, async () => {
        const { win, ui, inbox, database } = await ready(options);

        expect(dialogIn(win)).not.toBeNull();
        await ui.getByRole('button', { name: 'Accept all' }).click();
        await expect.element(ui.getByRole('alert')).toBeVisible();
        const result = await win.ConsentGate.track('Product Viewed', inPage(win, VIEWED));
        await win.ConsentGate.instance?.tracker.flush();

        expect(result.stored).toBe(0);
        expect(win.__probe.errors).toEqual([code]);
        expect(win.__probe.console).toEqual([expect.stringContaining(`ConsentGate [${code}]: `)]);
        expect(win.__probe.uncaught).toEqual([]);
        expect(await storedIn(database)).toMatchObject({ events: 0, outbox: 0, receipts: 0 });
        expect(await collected(inbox)).toEqual({ requests: 0, events: [] });
      });
    }
  });

  describe('when a chunk was tampered with', () => {
    it('refuses a tampered runtime by SRI: nothing runs or is collected, the page works', async () => {
      const { win, ui, inbox, database } = await ready({ tamper: ['consentgate.runtime.js'] });

      const result = await win.ConsentGate.track('Product Viewed', inPage(win, VIEWED));
      await ui.getByRole('button', { name: 'Add to cart' }).click();

      expect(TAMPERED_CODE).toContain('__tampered');
      expect(win.__tampered).toBeUndefined();
      expect(result).toEqual({ stored: 0, reasons: [ErrorCode.SdkChunkFailed] });
      expect(win.__probe.errors).toEqual([ErrorCode.SdkChunkFailed]);
      expect(win.__probe.console).toEqual([
        expect.stringContaining(
          'ConsentGate [sdk/chunk-failed]: consentgate.runtime.js did not load',
        ),
      ]);
      expect(win.__probe.uncaught).toEqual([]);
      expect(win.document.querySelector('consentgate-widget')).toBeNull();
      expect(win.__probe.hostClicks).toBe(1);
      expect(await storedIn(database)).toEqual({
        exists: false,
        events: 0,
        outbox: 0,
        receipts: 0,
      });
      expect(await collected(inbox)).toEqual({ requests: 0, events: [] });
    });

    it('fails closed on a tampered engine: nothing is collected or recorded, the banner still shows', async () => {
      const { win, ui, inbox, database } = await ready({ tamper: ['consentgate.engine.js'] });

      expect(dialogIn(win)).not.toBeNull();
      // Nothing verified the bundle, so no answer can cite its digest.
      await ui.getByRole('button', { name: 'Accept all' }).click();
      await expect.element(ui.getByRole('alert')).toBeVisible();
      const result = await win.ConsentGate.track('Product Viewed', inPage(win, VIEWED));
      await win.ConsentGate.instance?.tracker.flush();

      expect(win.__tampered).toBeUndefined();
      expect(result.stored).toBe(0);
      expect(win.__probe.errors).toEqual([ErrorCode.PolicyEngineFailed]);
      expect(win.__probe.console).toEqual([
        expect.stringContaining('ConsentGate [policy/engine-failed]: consentgate.engine.js'),
      ]);
      expect(win.__probe.uncaught).toEqual([]);
      expect(await storedIn(database)).toMatchObject({ events: 0, outbox: 0, receipts: 0 });
      expect(await collected(inbox)).toEqual({ requests: 0, events: [] });
    });
  });

  describe('under enforced Trusted Types', () => {
    let opened: OpenedPage & { win: ProbeWindow };
    let close: (() => void) | undefined;

    // One page for the first three tests: each reads it without depending on the others.
    beforeAll(async () => {
      opened = await ready({ csp: TRUSTED_TYPES });
      close = cleanups.pop();
    });

    afterAll(() => close?.());

    it('works end to end through its one policy, named consentgate', async () => {
      await acceptAndTrack(opened);

      expect(Object.keys(opened.win.__probe.policies)).toEqual(['consentgate']);
      expectClean(opened.win.__probe);
    });

    it('mints the URLs of its own chunks and refuses any other', () => {
      const { win, id } = opened;
      const policy = win.__probe.policies.consentgate;
      const chunk = new URL(`${CONSENTGATE_PAGES}${id}/consentgate.runtime.js`, location.href).href;
      const mint = (url: string) => () => policy?.createScriptURL(url);

      expect(String(mint(chunk)())).toBe(chunk);
      for (const file of Object.keys(sri).filter((name) => name !== 'consentgate.js')) {
        expect(mint(new URL(file, chunk).href)).not.toThrow();
      }
      for (const foreign of [
        'https://evil.example/consentgate.runtime.js',
        new URL('/elsewhere/consentgate.runtime.js', location.href).href,
        new URL('consentgate.evil.js', chunk).href,
        'data:text/javascript,alert(1)',
      ]) {
        // The page's own TypeError, so matched by message rather than class.
        expect(mint(foreign)).toThrow(/not a ConsentGate chunk/);
      }
    });

    it('leaves a page script no way to load a script of its own', () => {
      const { win } = opened;
      const script = win.document.createElement('script');

      expect(() => win.trustedTypes.createPolicy('consentgate', {})).toThrow(/consentgate/);
      expect(() => (script.src = '/evil.js')).toThrow(/TrustedScriptURL/);
    });

    it('reports sdk/chunk-failed when the CSP does not allow the consentgate policy', async () => {
      const { win, inbox } = await ready({
        csp: `${STRICT}; require-trusted-types-for 'script'; trusted-types 'none'`,
      });

      expect(win.__probe.errors).toEqual([ErrorCode.SdkChunkFailed]);
      expect(win.__probe.console).toEqual([
        expect.stringContaining('ConsentGate [sdk/chunk-failed]: '),
      ]);
      expect(win.__probe.uncaught).toEqual([]);
      expect(await collected(inbox)).toEqual({ requests: 0, events: [] });
    });
  });
});
