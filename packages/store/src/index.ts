export { openStore } from './open-store.js';
export type {
  AppendOptions,
  AuditLog,
  AuditQuery,
  CompleteOptions,
  ConsentLog,
  DueQuery,
  EventLog,
  EventQuery,
  Outbox,
  Store,
  StoreEvents,
  StoreOptions,
} from './store.js';
export type { StoreMode } from './backend.js';
export { AuditKind } from './records.js';
export type {
  AuditEntry,
  AuditInput,
  ChainReport,
  ConsentInput,
  DueMessage,
  EventInput,
  OutboxEntry,
  OutboxInput,
  OutboxRef,
  PurgeOptions,
  PurgeReport,
  PurposeCount,
  PutReport,
  SkipReason,
  StoredEvent,
  SweepReport,
} from './records.js';
export type {
  ExportDocument,
  ExportedAuditEntry,
  ExportedEvent,
  ExportedPurpose,
  ExportedReceipt,
} from './export-document.js';
export { DB_VERSION } from './schema.js';
export { canonicalJson } from './canonical-json.js';
