export { createTracker } from './create-tracker.js';
export type {
  BlockedEvent,
  EraseReport,
  SetConsentOptions,
  Tracker,
  TrackerEvents,
  TrackerOptions,
  TrackResult,
} from './tracker.js';
export type { DestinationOptions, FlushReport, OutgoingMessage, SentMessage } from './sender.js';
export { createActivator } from './activation.js';
export type { Activator, ActivatorOptions } from './activation.js';
export { createConsentMode, DEFAULT_CONSENT_MODE_MAPPING } from './consent-mode.js';
export type {
  ConsentMode,
  ConsentModeMapping,
  ConsentModeOptions,
  ConsentModeState,
  ConsentModeValue,
} from './consent-mode.js';
export { createEngagement } from './engagement.js';
export type { Engagement, EngagementOptions, EngagementSummary } from './engagement.js';
export { normaliseEvent } from './normalise.js';
export type {
  DroppedProperty,
  JsonValue,
  NormaliseOptions,
  NormaliseReason,
  NormalisedEvent,
  Properties,
} from './normalise.js';
export { minimise } from './minimise.js';
export type { Minimised, MinimiseReason } from './minimise.js';
export {
  backoffDelay,
  classifyStatus,
  MAX_BATCH_BYTES,
  retryAfterMs,
  splitIntoBatches,
} from './delivery.js';
export type { BackoffOptions, DeliveryVerdict } from './delivery.js';
export { readSignals } from './signals.js';
