// What the privacy tests need from the storefront: a record of every request the page makes, the
// raw contents of ConsentGate's IndexedDB database, the collector's view, and the visitor's steps
// (answer the banner, browse, check out) through the real UI.
import { expect, test as base } from '@playwright/test';
import type { APIRequestContext, Locator, Page } from '@playwright/test';
import type { WireBatch, WireMessage } from '@consentgate/core';
import type { ConsentGate } from 'consentgate';

import { COLLECTOR_ORIGIN, SHOP_ORIGIN } from './env.js';

/** The jurisdictions the storefront offers. */
export const REGIONS = ['EU', 'US-CA', 'JP'] as const;

/** A jurisdiction the storefront offers. */
export type Region = (typeof REGIONS)[number];

/** What the visitor types at checkout: every value is personal and must never leave raw. */
export const VISITOR = {
  name: '山田 花子',
  email: 'Hanako.Yamada@example.jp',
  phone: '090-1234-5678',
  postalCode: '100-0001',
  address: '東京都千代田区千代田1-1',
  note: '不在時は宅配ボックスへ',
} as const;

/** One request the page made. */
export interface SeenRequest {
  readonly url: URL;
  readonly method: string;
  readonly body: string | null;
}

/** An event as the collector stored it (`GET /v1/events`). */
export interface CollectedEvent {
  readonly messageId: string;
  readonly name: string;
  readonly purpose: string;
  readonly anonymousId: string | null;
  readonly properties: Readonly<Record<string, unknown>>;
  readonly [key: string]: unknown;
}

/** True for a request to the collector or to a third-party stand-in. */
export function isOutbound(url: URL): boolean {
  return (
    url.origin === COLLECTOR_ORIGIN ||
    (url.origin === SHOP_ORIGIN && url.pathname.startsWith('/vendors/'))
  );
}

/** Every request a page makes, in order. */
export class Traffic {
  readonly seen: SeenRequest[] = [];

  constructor(page: Page) {
    page.on('request', (request) => {
      this.seen.push({
        url: new URL(request.url()),
        method: request.method(),
        body: request.postData(),
      });
    });
  }

  /** A position to count from. */
  mark(): number {
    return this.seen.length;
  }

  /** Requests to the collector or a third-party stand-in, from `since` on. */
  outbound(since = 0): SeenRequest[] {
    return this.seen.slice(since).filter((request) => isOutbound(request.url));
  }

  /** Requests to the ads network stand-in (its script, pixel and batches), from `since` on. */
  ads(since = 0): SeenRequest[] {
    return this.outbound(since).filter((r) => r.url.pathname.startsWith('/vendors/ads'));
  }

  /** The messages of every batch sent to `destination`, from `since` on. */
  messages(destination: 'collector' | 'ads', since = 0): WireMessage[] {
    const path = destination === 'collector' ? '/v1/batch' : '/vendors/ads/v1/batch';
    return this.outbound(since)
      .filter((r) => r.method === 'POST' && r.url.pathname === path && r.body)
      .flatMap((r) => (JSON.parse(r.body ?? '{}') as WireBatch).batch);
  }

  /** Every request body sent out, as one string, to search for values that must not be there. */
  sentText(since = 0): string {
    return this.outbound(since)
      .map((r) => `${r.url.href}\n${r.body ?? ''}`)
      .join('\n');
  }
}

/** ConsentGate's IndexedDB contents, read raw (expired records included until swept). */
export interface LocalData {
  readonly consent: readonly { readonly id: string; readonly purposes: Record<string, boolean> }[];
  readonly events: readonly {
    readonly purpose: string;
    readonly name: string;
    readonly messageId?: string;
    readonly fields: Readonly<Record<string, unknown>>;
  }[];
  readonly outbox: readonly {
    readonly purpose: string;
    readonly destination: string;
    readonly messageId: string;
  }[];
}

/** Reads ConsentGate's database in the page without creating it when it does not exist. */
export function readLocal(page: Page): Promise<LocalData> {
  return page.evaluate(async () => {
    const names = (await indexedDB.databases()).map((db) => db.name);
    if (!names.includes('consentgate')) return { consent: [], events: [], outbox: [] };
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('consentgate');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('open failed'));
    });
    try {
      const all = (store: string) =>
        new Promise<never[]>((resolve, reject) => {
          if (!db.objectStoreNames.contains(store)) {
            resolve([]);
            return;
          }
          const request = db.transaction(store).objectStore(store).getAll();
          request.onsuccess = () => resolve(request.result as never[]);
          request.onerror = () => reject(request.error ?? new Error('read failed'));
        });
      const [consent, events, outbox] = await Promise.all([
        all('consent'),
        all('events'),
        all('outbox'),
      ]);
      return { consent, events, outbox };
    } finally {
      db.close();
    }
  });
}

/** How many records and outbox entries of `purpose` the database holds. */
export async function countPurpose(page: Page, purpose: string): Promise<number> {
  const local = await readLocal(page);
  return (
    local.events.filter((e) => e.purpose === purpose).length +
    local.outbox.filter((e) => e.purpose === purpose).length
  );
}

/** The collector's stored events of one visitor. */
export async function collected(
  request: APIRequestContext,
  anonymousId: string,
): Promise<CollectedEvent[]> {
  const response = await request.get(
    `${COLLECTOR_ORIGIN}/v1/events?anonymousId=${encodeURIComponent(anonymousId)}&limit=500`,
  );
  expect(response.ok()).toBe(true);
  return ((await response.json()) as { events: CollectedEvent[] }).events;
}

/** Texts of the widget and the storefront in Japanese, the storefront's default language. */
export const JA = {
  banner: 'プライバシーの選択',
  acceptAll: 'すべて同意する',
  rejectAll: 'すべて拒否する',
  acknowledge: 'OK',
  customise: 'カスタマイズ',
  gpcHonoured: 'グローバル・プライバシー・コントロールを尊重し',
  myData: 'マイデータ',
  exportData: 'JSONで書き出す',
  eraseAll: 'すべて削除する',
  withdrawMarketing: '広告を撤回する',
  openPrivacyCentre: 'プライバシーセンター（マイデータ）を開く',
  addToCart: 'カートに入れる',
  toCheckout: 'ご購入手続きへ',
  placeOrder: '注文を確定する',
} as const;

/** The banner (a modal dialog in the widget's open shadow root). */
export function banner(page: Page): Locator {
  return page.getByRole('dialog', { name: JA.banner });
}

/** Opens the storefront for the first time in `region`, in Japanese. */
export async function openShop(page: Page, region: Region, path = '/'): Promise<void> {
  const url = new URL(path, SHOP_ORIGIN);
  url.searchParams.set('region', region);
  url.searchParams.set('lang', 'ja');
  await page.goto(url.href);
}

/** Waits until ConsentGate on this page has loaded its policy, store and widget. */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => window.consentGate !== undefined);
  await page.evaluate(() => window.consentGate?.ready);
}

/** Answers the banner with "accept all" ("OK" in California's opt-out notice). */
export async function acceptAll(page: Page, region: Region): Promise<void> {
  const dialog = banner(page);
  await dialog
    .getByRole('button', { name: region === 'US-CA' ? JA.acknowledge : JA.acceptAll, exact: true })
    .click();
  await expect(dialog).toBeHidden();
  await expect.poll(async () => (await readLocal(page)).consent.length).toBeGreaterThan(0);
}

/** Answers "reject all": on the banner, or in the preferences where the banner has no such button. */
export async function rejectAll(page: Page, region: Region): Promise<void> {
  if (region === 'US-CA') {
    await banner(page).getByRole('button', { name: JA.customise }).click();
    const preferences = page.getByRole('dialog', { name: 'プライバシー設定' });
    await preferences.getByRole('button', { name: JA.rejectAll, exact: true }).click();
    await expect(preferences).toBeHidden();
  } else {
    await banner(page).getByRole('button', { name: JA.rejectAll, exact: true }).click();
    await expect(banner(page)).toBeHidden();
  }
  await expect.poll(async () => (await readLocal(page)).consent.length).toBeGreaterThan(0);
}

/**
 * Browses like a shopper, through the UI: two product pages, "add to cart" on each, the cart,
 * the checkout form with {@link VISITOR}'s details, and the confirmation page.
 */
export async function browseAndCheckOut(page: Page): Promise<void> {
  await page.goto('/product/SG-101');
  await page.getByRole('button', { name: JA.addToCart }).click();
  await page.goto('/product/SG-201');
  await page.getByRole('button', { name: JA.addToCart }).click();
  await page.getByRole('link', { name: 'カートを見る' }).click();
  await page.waitForURL('**/cart');
  await page.getByRole('link', { name: JA.toCheckout }).click();
  await page.waitForURL('**/checkout');
  await page.getByLabel('氏名').fill(VISITOR.name);
  await page.getByLabel('メールアドレス').fill(VISITOR.email);
  await page.getByLabel('電話番号').fill(VISITOR.phone);
  await page.getByLabel('郵便番号').fill(VISITOR.postalCode);
  await page.getByLabel('住所').fill(VISITOR.address);
  await page.getByLabel('配達メモ').fill(VISITOR.note);
  await page.getByRole('button', { name: JA.placeOrder }).click();
  await page.waitForURL('**/order-complete');
  await expect(page.getByTestId('order-id')).toBeVisible();
  await settled(page);
}

/** The storefront's test fixtures: `traffic` records every request from the first navigation. */
export const test = base.extend<{ traffic: Traffic }>({
  traffic: async ({ page }, use) => {
    await use(new Traffic(page));
  },
});

export { expect };

declare global {
  interface Window {
    consentGate?: ConsentGate;
  }
}
