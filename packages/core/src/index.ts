export { createEmitter } from './emitter.js';
export type { Emitter, EmitterOptions, EventContract, Listener, Unsubscribe } from './emitter.js';
export { ok, err } from './result.js';
export type { Err, Ok, Result } from './result.js';
export { ConsentGateError, ErrorCode, isConsentGateError } from './errors.js';
export type { ConsentGateErrorOptions } from './errors.js';
export { fromSriDigest, sha256Hex, toSriDigest } from './digest.js';
export { canonicalJson, noticeRevision } from './revision.js';
// contract types are exported below
export { Entrypoint, Jurisdiction, Purpose } from './contract.js';
export type {
  CollectDecision,
  CollectRecord,
  ConsentMethod,
  ConsentRecord,
  ConsentRequirement,
  ConsentState,
  EgressDecision,
  FieldAction,
  LocalizedText,
  Notice,
  NoticeCategory,
  NoticePurpose,
  NoticeRecipient,
  PolicyEvent,
  PolicyInput,
  PolicyScript,
  ReasonCode,
  ScriptDecision,
  Signals,
} from './contract.js';
