import { ConsentGateError, ErrorCode } from '@consentgate/core';

import { asError } from './as-error.js';
import { normaliseEvent } from './normalise.js';
import { notStored } from './process-batch.js';
import type { BatchSink, TrackedEvent } from './process-batch.js';
import type { TrackResult } from './tracker.js';

/** Decides and stores a batch of events and returns what became of each, in order. */
export type ProcessEvents = (items: readonly TrackedEvent[]) => Promise<TrackResult[]>;

/** What {@link createEventQueue} needs. */
export interface EventQueueOptions {
  readonly now: () => number;
  /** Most events held while the tracker starts; the oldest are dropped beyond it. */
  readonly limit: number;
  /** Most events handed to one {@link ProcessEvents} call. */
  readonly batchSize: number;
  /** Where refused events and failures are reported. */
  readonly sink: Pick<BatchSink, 'blocked' | 'error'>;
}

/** The calls of `track`, `page` and `identify` on their way to being decided. */
export interface EventQueue {
  /** Normalises one call and resolves with what became of it; never throws or rejects. */
  submit(type: TrackedEvent['type'], name: unknown, properties: unknown): Promise<TrackResult>;
  /**
   * The tracker started: held events (and later ones) go to `process`. `undefined` means it could
   * not start, and every event is refused as `policy-unavailable`.
   */
  open(process: ProcessEvents | undefined): void;
  /** The tracker was destroyed: held events resolve as `tracker-destroyed`, and so do later ones. */
  close(): void;
}

interface Pending extends TrackedEvent {
  readonly resolve: (result: TrackResult) => void;
}

/**
 * Creates the in-memory queue in front of the pipeline and returns it. Until {@link EventQueue.open}
 * events are held (bounded, never on disk); afterwards they are processed in call order, in
 * batches, so that a burst costs three transactions per batch instead of per event.
 */
export function createEventQueue(options: EventQueueOptions): EventQueue {
  const { sink } = options;
  const state = {
    /** False until {@link EventQueue.open}: events are held. */
    started: false,
    closed: false,
    /** Where events go once started; `undefined` when the tracker could not start. */
    process: undefined as ProcessEvents | undefined,
    /** Events in call order: held while starting, then taken batch by batch. */
    waiting: [] as Pending[],
    draining: false,
  };

  const drain = async (): Promise<void> => {
    if (state.draining || !state.started) return;
    state.draining = true;
    try {
      while (state.waiting.length > 0) {
        const batch = state.waiting.splice(0, options.batchSize);
        const results = await run(batch);
        for (const [index, item] of batch.entries()) {
          item.resolve(results[index] ?? notStored(['internal-error']));
        }
      }
    } finally {
      state.draining = false;
    }
  };

  const run = async (batch: readonly Pending[]): Promise<readonly TrackResult[]> => {
    if (state.closed || !state.process) {
      const reasons = [state.closed ? 'tracker-destroyed' : 'policy-unavailable'];
      for (const item of batch) sink.blocked({ name: item.name }, reasons);
      return batch.map(() => notStored(reasons));
    }
    try {
      return await state.process(batch);
    } catch (error) {
      sink.error(asError(error, ErrorCode.SdkProcessFailed, 'batch failed'));
      return [];
    }
  };

  /** Queues a normalised event: held (bounded) while the tracker starts, else processed soon. */
  const enqueue = (item: Pending) => {
    state.waiting.push(item);
    if (state.started) {
      void drain();
    } else if (state.waiting.length > options.limit) {
      sink.error(new ConsentGateError(ErrorCode.SdkQueueOverflow, 'queue full'));
      state.waiting.shift()?.resolve(notStored(['queue-overflow']));
    }
  };

  return {
    submit: (type, name, properties) =>
      new Promise<TrackResult>((resolve) => {
        try {
          const normalised = normaliseEvent(name, properties);
          if (!normalised.ok) {
            const reasons = [`invalid-event:${normalised.reason}`];
            sink.error(new ConsentGateError(ErrorCode.SdkInvalidEvent, normalised.reason));
            sink.blocked({ name: typeof name === 'string' ? name.slice(0, 128) : '' }, reasons);
            resolve(notStored(reasons));
            return;
          }
          if (state.closed) {
            resolve(notStored(['tracker-destroyed']));
            return;
          }
          const dropped = normalised.dropped.map((d) => `${d.key}:${d.reason}`);
          enqueue({
            name: normalised.name,
            properties: normalised.properties,
            type,
            at: options.now(),
            resolve: (result) =>
              resolve(
                dropped.length > 0
                  ? { ...result, reasons: [...result.reasons, ...dropped] }
                  : result,
              ),
          });
        } catch (error) {
          sink.error(asError(error, ErrorCode.SdkInvalidEvent, 'track failed'));
          resolve(notStored(['internal-error']));
        }
      }),
    open(process) {
      if (state.started) return;
      state.started = true;
      state.process = process;
      void drain();
    },
    close() {
      // Events held while starting were never handed on; later ones are refused as they drain.
      if (!state.started) {
        for (const item of state.waiting.splice(0)) item.resolve(notStored(['tracker-destroyed']));
      }
      state.closed = true;
    },
  };
}
