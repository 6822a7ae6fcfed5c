/**
 * On-device engagement summary ("extract what you need, delete the raw"): scroll samples and
 * visibility changes are folded into one aggregate per page — visible dwell time and deepest scroll
 * — and only that aggregate is handed to `track`. Raw samples live in memory for at most one fold
 * interval and are never stored or sent.
 */

/** The aggregate sent as a `Page Engagement` event. */
export interface EngagementSummary {
  /** The page path (no query or fragment: those can carry personal data). */
  readonly path: string;
  /** Milliseconds the page was visible, rounded to the nearest second. */
  readonly dwell_ms: number;
  /** Deepest scroll position reached, in percent of the scrollable height, rounded down to 10. */
  readonly scroll_depth: number;
}

/** A raw scroll sample: kept only until the next fold. */
interface ScrollSample {
  readonly at: number;
  readonly depth: number;
}

/** Options for {@link createEngagement}. */
export interface EngagementOptions {
  /** Receives each summary; normally `tracker.track` with the `Page Engagement` event name. */
  readonly report: (summary: EngagementSummary) => void;
  /**
   * Clock in epoch milliseconds.
   * @default Date.now
   */
  readonly now?: () => number;
  /**
   * How often raw samples are folded into the aggregate and deleted.
   * @default 5000
   */
  readonly foldIntervalMs?: number;
  /**
   * Most raw samples held between folds; older ones are folded early.
   * @default 50
   */
  readonly maxSamples?: number;
  /** @default globalThis.window */
  readonly window?: Window;
}

/** What {@link createEngagement} returns. */
export interface Engagement {
  /** Starts measuring the current page. */
  start(): void;
  /** Folds, reports the summary (if the page was visible at all) and stops. */
  stop(): void;
  /** The number of raw samples currently held (for tests and the privacy centre). */
  readonly rawSampleCount: number;
}

/**
 * Creates an engagement meter for the current page and returns its controls. The summary is
 * reported when the page is hidden (tab switch, navigation, close) — `visibilitychange`, not
 * `unload`, which mobile browsers skip.
 *
 * @example
 * ```ts
 * createEngagement({ report: (s) => tracker.track('Page Engagement', s) }).start();
 * ```
 */
export function createEngagement(options: EngagementOptions): Engagement {
  const win = options.window ?? globalThis.window;
  const now = options.now ?? Date.now;
  const foldIntervalMs = options.foldIntervalMs ?? 5000;
  const maxSamples = options.maxSamples ?? 50;

  let samples: ScrollSample[] = [];
  let deepest = 0;
  let visibleSince: number | undefined;
  let dwell = 0;
  let timer: ReturnType<typeof setInterval> | undefined;
  let running = false;

  const fold = () => {
    for (const sample of samples) deepest = Math.max(deepest, sample.depth);
    samples = [];
  };

  const onScroll = () => {
    const doc = win.document.documentElement;
    const scrollable = Math.max(1, doc.scrollHeight - win.innerHeight);
    const depth = Math.min(100, Math.max(0, (100 * win.scrollY) / scrollable));
    samples.push({ at: now(), depth });
    if (samples.length >= maxSamples) fold();
  };

  const flush = () => {
    fold();
    if (visibleSince !== undefined) {
      dwell += now() - visibleSince;
      visibleSince = undefined;
    }
    if (dwell <= 0) return;
    const summary: EngagementSummary = {
      path: win.location.pathname,
      dwell_ms: Math.round(dwell / 1000) * 1000,
      scroll_depth: Math.floor(deepest / 10) * 10,
    };
    dwell = 0;
    deepest = 0;
    try {
      options.report(summary);
    } catch {
      // The page's report callback failing must not break the page.
    }
  };

  const onVisibility = () => {
    if (win.document.visibilityState === 'hidden') flush();
    else visibleSince ??= now();
  };

  return {
    start() {
      if (running) return;
      running = true;
      if (win.document.visibilityState !== 'hidden') visibleSince = now();
      win.addEventListener('scroll', onScroll, { passive: true });
      win.document.addEventListener('visibilitychange', onVisibility);
      timer = setInterval(fold, foldIntervalMs);
    },
    stop() {
      if (!running) return;
      running = false;
      win.removeEventListener('scroll', onScroll);
      win.document.removeEventListener('visibilitychange', onVisibility);
      if (timer !== undefined) clearInterval(timer);
      flush();
    },
    get rawSampleCount() {
      return samples.length;
    },
  };
}
