export { CollectorError, CollectorErrorCode } from './collector-error.js';
export { collectorOptionsFromEnv, DEFAULT_DATA_DIR } from './collector-options-from-env.js';
export {
  createCollector,
  DEFAULT_ALLOWED_ORIGINS,
  MAX_BATCH_EVENTS,
  MAX_BODY_BYTES,
} from './create-collector.js';
export type { Collector, CollectorOptions } from './create-collector.js';
export type {
  BatchOutcome,
  CollectorStats,
  EraseOutcome,
  StoredEvent,
  StoredRejection,
} from './create-store.js';
export { openDatabase } from './database.js';
export type { Database, OpenDatabaseOptions, Queryable, QueryResult } from './database.js';
export { migrate, SCHEMA_VERSION } from './migrate.js';
export type { ConsentGateContext, EventType, ValidEvent } from './parse-batch.js';
export { startCollector } from './start-collector.js';
export type { RunningCollector, StartCollectorOptions } from './start-collector.js';
export { RejectReason } from './verify-event.js';
export type { CollectorPolicy, Rejection } from './verify-event.js';
