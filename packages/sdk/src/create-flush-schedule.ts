/** How long a burst of stored events is gathered into one request, in milliseconds. */
const COALESCE_MS = 50;

/** What {@link createFlushSchedule} needs. */
export interface FlushScheduleOptions {
  /** Sends what is due; must not reject. */
  readonly flush: () => unknown;
  /** Interval of the background flush (retries, other tabs' outbox); `0` turns it off. */
  readonly intervalMs: number;
  /** The window whose `online` and `visibilitychange` events trigger a flush; `undefined` outside a browser. */
  readonly window: Window | undefined;
}

/** When the sender runs, besides an explicit `flush()`. */
export interface FlushSchedule {
  /** Flushes shortly, coalescing the calls of one burst into one request. */
  soon(): void;
  /** Stops every timer and listener; `soon` does nothing afterwards. */
  stop(): void;
}

/**
 * Schedules the sender and returns the schedule's controls: a background interval, a flush when
 * the page is hidden (the last chance before it may be discarded) or comes back online, and a
 * coalesced flush after events were queued.
 */
export function createFlushSchedule(options: FlushScheduleOptions): FlushSchedule {
  const flush = () => void options.flush();
  // One signal removes every listener at once.
  const listening = new AbortController();
  const { signal } = listening;
  const doc = options.window?.document;
  const onHidden = () => {
    if (doc?.visibilityState === 'hidden') flush();
  };
  doc?.addEventListener('visibilitychange', onHidden, { signal });
  options.window?.addEventListener('online', flush, { signal });
  const interval = options.intervalMs > 0 ? setInterval(flush, options.intervalMs) : undefined;
  const state = { timer: undefined as ReturnType<typeof setTimeout> | undefined };
  return {
    soon() {
      if (state.timer !== undefined || signal.aborted) return;
      state.timer = setTimeout(() => {
        state.timer = undefined;
        flush();
      }, COALESCE_MS);
    },
    stop() {
      listening.abort();
      clearInterval(interval);
      clearTimeout(state.timer);
    },
  };
}
