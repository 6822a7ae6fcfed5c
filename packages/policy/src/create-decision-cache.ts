/** A bounded map from cache keys to answers that evicts the least recently used first. */
export interface DecisionCache<V> {
  /** Returns the value for `key` and marks it used, or `undefined`. */
  get(key: string | number): V | undefined;
  /** Stores `value` under `key`, evicting a least recently used entry when full. */
  set(key: string | number, value: V): void;
  /** Removes every entry. */
  clear(): void;
  /** The number of entries. */
  readonly size: number;
}

interface Slot<V> {
  value: V;
  /** Set by a hit; cleared when eviction passes over the entry (a second chance). */
  used: boolean;
}

/**
 * Creates a cache holding at most `capacity` entries (0 stores nothing) and returns it.
 *
 * Eviction is the second-chance approximation of LRU (the CLOCK algorithm): a hit only sets a
 * flag, so it costs one `Map` lookup, and eviction skips, from oldest to newest, entries used
 * since it last passed them.
 *
 * @example
 * ```ts
 * const cache = createDecisionCache<PolicyAnswer<CollectDecision>>(512);
 * ```
 */
export function createDecisionCache<V>(capacity: number): DecisionCache<V> {
  // A Map iterates in insertion order: the oldest entries come first.
  const slots = new Map<string | number, Slot<V>>();
  return {
    get(key) {
      const slot = slots.get(key);
      if (!slot) return undefined;
      slot.used = true;
      return slot.value;
    },
    set(key, value) {
      if (capacity === 0) return;
      slots.delete(key);
      for (const [oldest, slot] of slots) {
        if (slots.size < capacity) break;
        slots.delete(oldest);
        if (slot.used) {
          slot.used = false;
          slots.set(oldest, slot);
        }
      }
      slots.set(key, { value, used: false });
    },
    clear() {
      slots.clear();
    },
    get size() {
      return slots.size;
    },
  };
}
