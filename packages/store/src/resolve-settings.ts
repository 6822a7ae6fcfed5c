import { invalidOption, isBoolean, isObject, isStrings } from './assert-input.js';
import type { StoreOptions } from './store.js';

/** Defaults of the numeric {@link StoreOptions}. */
const COUNT_DEFAULTS = {
  openTimeoutMs: 3_000,
  blockedTimeoutMs: 5_000,
  maxRetries: 2,
  /** One minute. */
  sweepIntervalMs: 60_000,
  /** 100k records in about 100 transactions. */
  sweepBatchSize: 1_000,
  /** 30 days. */
  auditRetentionMs: 30 * 24 * 60 * 60 * 1000,
} satisfies { [K in keyof StoreOptions]?: number };

/** The numeric options; each must be a number ≥ 0 (`sweepBatchSize` ≥ 1). */
type CountOption = keyof typeof COUNT_DEFAULTS;

/** {@link StoreOptions} after defaults, with the IndexedDB factory resolved. */
export type Settings = Required<Omit<StoreOptions, 'indexedDB'>> & { indexedDB: IDBFactory | null };

/**
 * Checks `options`, fills in the defaults and returns the settings.
 *
 * @throws {@link ConsentGateError} `sdk/invalid-options` when an option is invalid.
 */
export function resolveSettings(options: StoreOptions): Settings {
  const raw: unknown = options;
  if (!isObject(raw)) invalidOption('openStore options');
  const counts = { ...COUNT_DEFAULTS };
  for (const key of Object.keys(counts) as CountOption[]) {
    const value = options[key] ?? counts[key];
    // Also refuses NaN; Infinity is a valid "never".
    if (!(typeof value === 'number' && value >= (key === 'sweepBatchSize' ? 1 : 0))) {
      invalidOption(`openStore ${key}`);
    }
    counts[key] = value;
  }
  const { now = Date.now, encryptCategories = [], memoryFallback = true } = options;
  if (typeof now !== 'function') invalidOption('openStore now');
  if (!isStrings(encryptCategories)) invalidOption('openStore encryptCategories');
  if (!isBoolean(memoryFallback)) invalidOption('openStore memoryFallback');
  const factory =
    options.indexedDB === undefined
      ? ((globalThis as { indexedDB?: IDBFactory }).indexedDB ?? null)
      : options.indexedDB;
  if (factory !== null && typeof factory?.open !== 'function') invalidOption('openStore indexedDB');
  return {
    ...counts,
    now,
    encryptCategories: [...encryptCategories],
    indexedDB: factory,
    memoryFallback,
  };
}
