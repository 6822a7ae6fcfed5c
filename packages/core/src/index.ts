export { createEmitter } from './emitter.js';
export type { Emitter, EmitterOptions, EventContract, Listener, Unsubscribe } from './emitter.js';
export { ok, err } from './result.js';
export type { Err, Ok, Result } from './result.js';
export { ConsentGateError, ErrorCode, isConsentGateError } from './errors.js';
export type { ConsentGateErrorOptions } from './errors.js';
export { fromSriDigest, sha256Hex, toSriDigest } from './digest.js';
export { canonicalJson, noticeRevision } from './revision.js';
export {
  announceConsent,
  CONSENT_CHANNEL,
  CONSENT_UPDATED,
  consentFromEvent,
  consentReceipt,
  consentState,
  policyInput,
  receiptChoices,
} from './consent.js';
export type {
  ConsentReceipt,
  ConsentReceiptOptions,
  ConsentUpdatedDetail,
  PolicyInputOptions,
} from './consent.js';
export { anonymousId, MIN_SALT_LENGTH, saltedHash } from './salted-hash.js';
export { MAX_BATCH_BYTES, WIRE_VERSION } from './wire.js';
export type {
  WireAnswer,
  WireBatch,
  WireEraseRequest,
  WireJson,
  WireMessage,
  WireRejection,
} from './wire.js';
// contract types are exported below
export { Entrypoint, GeneralisationMethod, Jurisdiction, Purpose } from './contract.js';
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
