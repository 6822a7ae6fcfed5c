import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { createEngagement } from './engagement.js';
import type { EngagementSummary } from './engagement.js';

/** A window with just what the meter reads, driven by the test. */
function fakeWindow() {
  const doc = new EventTarget() as EventTarget & {
    visibilityState: DocumentVisibilityState;
    documentElement: { scrollHeight: number };
  };
  doc.visibilityState = 'visible';
  doc.documentElement = { scrollHeight: 3000 };
  const win = new EventTarget() as EventTarget & {
    document: typeof doc;
    innerHeight: number;
    scrollY: number;
    location: { pathname: string };
  };
  Object.assign(win, {
    document: doc,
    innerHeight: 1000,
    scrollY: 0,
    location: { pathname: '/products/a1' },
  });
  return {
    win,
    scrollTo(y: number) {
      win.scrollY = y;
      win.dispatchEvent(new Event('scroll'));
    },
    hide() {
      doc.visibilityState = 'hidden';
      doc.dispatchEvent(new Event('visibilitychange'));
    },
    show() {
      doc.visibilityState = 'visible';
      doc.dispatchEvent(new Event('visibilitychange'));
    },
  };
}

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});

afterEach(() => {
  vi.useRealTimers();
});

describe(createEngagement, () => {
  it('reports only the aggregate when the page is hidden', () => {
    const page = fakeWindow();
    const reports: EngagementSummary[] = [];
    const meter = createEngagement({
      report: (s) => reports.push(s),
      window: page.win as unknown as Window,
      now: Date.now,
    });
    meter.start();

    vi.advanceTimersByTime(2_000);
    page.scrollTo(1000);
    page.scrollTo(1500);
    vi.advanceTimersByTime(10_400);
    page.hide();

    expect(reports).toEqual([{ path: '/products/a1', dwell_ms: 12_000, scroll_depth: 70 }]);
    expect(Object.keys(reports[0]!)).toEqual(['path', 'dwell_ms', 'scroll_depth']);
  });

  it('deletes raw samples once they are folded in', () => {
    const page = fakeWindow();
    const meter = createEngagement({
      report: () => {},
      window: page.win as unknown as Window,
      now: Date.now,
      foldIntervalMs: 5_000,
    });
    meter.start();

    page.scrollTo(100);
    page.scrollTo(200);
    expect(meter.rawSampleCount).toBe(2);
    vi.advanceTimersByTime(5_000);

    expect(meter.rawSampleCount).toBe(0);
  });

  it('bounds the raw buffer between folds', () => {
    const page = fakeWindow();
    const meter = createEngagement({
      report: () => {},
      window: page.win as unknown as Window,
      maxSamples: 10,
    });
    meter.start();

    for (let y = 0; y < 25; y += 1) page.scrollTo(y * 10);

    expect(meter.rawSampleCount).toBeLessThan(10);
  });

  it('counts only visible time', () => {
    const page = fakeWindow();
    const reports: EngagementSummary[] = [];
    const meter = createEngagement({
      report: (s) => reports.push(s),
      window: page.win as unknown as Window,
      now: Date.now,
    });
    meter.start();

    vi.advanceTimersByTime(3_000);
    page.hide();
    vi.advanceTimersByTime(60_000);
    page.show();
    vi.advanceTimersByTime(4_000);
    meter.stop();

    expect(reports.map((r) => r.dwell_ms)).toEqual([3_000, 4_000]);
  });

  it('keeps the page working when the report callback throws', () => {
    const page = fakeWindow();
    const meter = createEngagement({
      report: () => {
        throw new Error('broken');
      },
      window: page.win as unknown as Window,
    });
    meter.start();
    vi.advanceTimersByTime(1_000);

    expect(() => meter.stop()).not.toThrow();
  });
});
