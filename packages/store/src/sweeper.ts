import { ok } from '@consentgate/core';
import type { Result } from '@consentgate/core';

import type { AuditFor, SweepTargets } from './backend.js';
import { newId } from './ids.js';
import type { AuditInput, SweepReport } from './records.js';
import type { StoreContext } from './store-context.js';

/** Deletes expired data: on demand, at open, on an interval and when the page becomes visible. */
export interface Sweeper {
  /** Runs a sweep after any running one and returns its report. */
  readonly sweep: () => Promise<Result<SweepReport>>;
  /** Stops the interval and the `visibilitychange` listener. */
  readonly stop: () => void;
}

/** Creates the sweeper of the store behind `ctx`, starts it, and runs a first sweep. */
export function createSweeper(ctx: StoreContext): Sweeper {
  const { settings, state, emitter, call, auditEntry } = ctx;
  const { now, sweepBatchSize: limit, sweepIntervalMs } = settings;
  const queue: { tail: Promise<unknown>; sweeping: boolean } = {
    tail: Promise.resolve(),
    sweeping: false,
  };

  async function run(): Promise<Result<SweepReport>> {
    const at = now();
    // One audit entry per purpose and sweep: each batch rewrites it with the running count, in
    // the transaction that deletes the records it counts.
    const ids = new Map<string, string>();
    const totals = new Map<string, number>();
    const auditFor: AuditFor = (purpose, count) => {
      const id = ids.get(purpose) ?? newId();
      ids.set(purpose, id);
      const total = (totals.get(purpose) ?? 0) + count;
      const input: AuditInput = {
        kind: 'expired',
        purpose,
        count: total,
        reasons: ['retention-elapsed'],
      };
      return { ...auditEntry(input, at), id };
    };
    const report = { outbox: 0, audit: 0, batches: 0 };
    let failed: Result<never> | undefined;
    let targets: SweepTargets = { events: true, outbox: true, audit: true };
    for (;;) {
      const current = targets;
      const batch = await call('sweep', (backend) =>
        backend.sweepBatch(now(), limit, current, auditFor),
      );
      if (!batch.ok) {
        failed = batch;
        break;
      }
      const { expired, outbox, audit } = batch.value;
      let events = 0;
      for (const [purpose, count] of expired) {
        totals.set(purpose, (totals.get(purpose) ?? 0) + count);
        events += count;
      }
      report.batches++;
      report.outbox += outbox;
      report.audit += audit;
      // A store that came up short has nothing more to expire in this sweep.
      targets = {
        events: current.events && events === limit,
        outbox: current.outbox && outbox === limit,
        audit: current.audit && audit === limit,
      };
      if (!(targets.events || targets.outbox || targets.audit) || state.closed) break;
      // Each batch is one short task; yielding between them keeps the page responsive.
      await yieldToMain();
    }
    const expired = [...totals].map(([purpose, count]) => ({ purpose, count }));
    for (const entry of expired) emitter.emit('record:expired', entry);
    return failed ?? ok({ expired, ...report });
  }

  function sweep(): Promise<Result<SweepReport>> {
    const swept = queue.tail.then(async () => {
      queue.sweeping = true;
      try {
        return await run();
      } finally {
        queue.sweeping = false;
      }
    });
    queue.tail = swept;
    return swept;
  }

  /** A sweep nobody waits for: skipped while one runs, its outcome reported through events. */
  function backgroundSweep(): void {
    if (!queue.sweeping && !state.closed) void sweep();
  }

  const onVisibilityChange = () => {
    // Records may have expired while the page was hidden (or frozen); reads hide them already,
    // this deletes them.
    if (document.visibilityState === 'visible') backgroundSweep();
  };
  const hasDocument = typeof document !== 'undefined';
  if (hasDocument) document.addEventListener('visibilitychange', onVisibilityChange);
  const timer =
    sweepIntervalMs > 0 && Number.isFinite(sweepIntervalMs)
      ? setInterval(backgroundSweep, sweepIntervalMs)
      : undefined;
  backgroundSweep();

  return {
    sweep,
    stop() {
      if (timer !== undefined) clearInterval(timer);
      if (hasDocument) document.removeEventListener('visibilitychange', onVisibilityChange);
    },
  };
}

/** Resolves after giving the page a turn: `scheduler.yield()` where it exists, else a task. */
function yieldToMain(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}
