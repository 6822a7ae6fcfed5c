// Helpers for the store-*.test.ts integration tests: writer pages in same-origin iframes.
import type { WriterMessage, WriterTask } from './store-writer.js';

/** A writer page: its iframe, and every id it reported as acknowledged. */
export interface WriterPage {
  readonly frame: HTMLIFrameElement;
  readonly acknowledged: string[];
  /** Resolves with the page's last message once it is done or failed. */
  readonly finished: Promise<WriterMessage>;
  /** Resolves once at least `count` ids were acknowledged. */
  acknowledgedAtLeast(count: number): Promise<void>;
}

/** Opens a writer page and starts `task` in it. */
export async function startWriter(task: Omit<WriterTask, 'type'>): Promise<WriterPage> {
  const frame = document.createElement('iframe');
  // The module is served (and its imports resolved) by the test run's Vite server.
  const module = new URL('./store-writer.ts', import.meta.url).href;
  frame.srcdoc = `<!doctype html><script type="module" src="${module}"></script>`;
  const acknowledged: string[] = [];
  const waiters = new Set<{ count: number; resolve: () => void }>();
  let finish: (message: WriterMessage) => void = () => undefined;
  const finished = new Promise<WriterMessage>((resolve) => (finish = resolve));
  const ready = new Promise<void>((resolve) => {
    addEventListener('message', function onMessage(event: MessageEvent<WriterMessage>) {
      if (event.source !== frame.contentWindow) return;
      const message = event.data;
      if (message.type === 'ready') resolve();
      if (message.type === 'ack') acknowledged.push(...message.ids);
      if (message.type === 'done' || message.type === 'failed') {
        removeEventListener('message', onMessage);
        finish(message);
      }
      for (const waiter of waiters) {
        if (acknowledged.length >= waiter.count) {
          waiters.delete(waiter);
          waiter.resolve();
        }
      }
    });
  });
  document.body.append(frame);
  await ready;
  frame.contentWindow?.postMessage(
    { type: 'start', ...task } satisfies WriterTask,
    location.origin,
  );
  return {
    frame,
    acknowledged,
    finished,
    acknowledgedAtLeast: (count) =>
      acknowledged.length >= count
        ? Promise.resolve()
        : new Promise((resolve) => waiters.add({ count, resolve })),
  };
}

/** Returns the values that occur more than once. */
export function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  return values.filter((value) => seen.has(value) || !seen.add(value));
}
