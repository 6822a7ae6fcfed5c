import type { StoredEvent } from './records.js';
import type { EventRow, Sealed } from './schema.js';

/** Name of the events key in the `keys` object store. */
export const EVENTS_KEY = 'events';

/** AES-GCM's recommended initialisation vector length, in bytes. */
const IV_BYTES = 12;

/** Encrypts and decrypts the configured categories of event fields. */
export interface Sealer {
  /** Whether any category is selected; when not, `seal` returns every row as it is. */
  readonly active: boolean;
  /** Returns the row to store: fields of sealed categories move, encrypted, into `sealed`. */
  seal(row: EventRow): Promise<EventRow>;
  /**
   * Returns the event with its sealed fields decrypted back into `fields`. When they cannot be
   * decrypted, they are left out and `failed` is true.
   */
  open(row: EventRow): Promise<{ event: StoredEvent; failed: boolean }>;
}

/**
 * Returns whether `category` is `selected` or below it in the label hierarchy:
 * `user.contact` selects `user.contact.email`, not `user.contacts`.
 */
export function inCategories(category: string, selected: readonly string[]): boolean {
  return selected.some((label) => category === label || category.startsWith(`${label}.`));
}

/** Generates the events key: AES-GCM 256, non-extractable, so script can use but never read it. */
export function generateKey(): Promise<CryptoKey> {
  return crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
}

/**
 * Creates a sealer for `categories`, with the key from `loadKey` (called once, on first use, and
 * again after a failure).
 */
export function createSealer(
  categories: readonly string[],
  loadKey: () => Promise<CryptoKey>,
): Sealer {
  let _key: Promise<CryptoKey> | undefined;
  const key = () =>
    (_key ??= loadKey().catch((error: unknown) => {
      _key = undefined;
      throw error;
    }));
  const encoder = new TextEncoder();
  // Binds the ciphertext to its record, so sealed fields cannot be moved to another record.
  const params = (iv: Uint8Array<ArrayBuffer>, id: string): AesGcmParams => ({
    name: 'AES-GCM',
    iv,
    additionalData: encoder.encode(id),
  });

  return {
    active: categories.length > 0,
    async seal(row) {
      const secret: Record<string, unknown> = {};
      const plain: Record<string, unknown> = {};
      let sealedAny = false;
      for (const [field, value] of Object.entries(row.fields)) {
        const category = row.categories?.[field];
        if (category !== undefined && inCategories(category, categories)) {
          secret[field] = value;
          sealedAny = true;
        } else {
          plain[field] = value;
        }
      }
      if (!sealedAny) return row;
      const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
      const data = await crypto.subtle.encrypt(
        params(iv, row.id),
        await key(),
        encoder.encode(JSON.stringify(secret)),
      );
      const sealed: Sealed = { iv, data };
      return { ...row, fields: plain, sealed };
    },
    async open(row) {
      const { sealed, ...event } = row;
      if (!sealed) return { event, failed: false };
      try {
        const bytes = await crypto.subtle.decrypt(
          params(sealed.iv, row.id),
          await key(),
          sealed.data,
        );
        const secret = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
        return { event: { ...event, fields: { ...event.fields, ...secret } }, failed: false };
      } catch {
        return { event, failed: true };
      }
    },
  };
}
