export { startConsentGate } from './start-consent-gate.js';
export type {
  ConsentGate,
  ConsentGateCommand,
  ConsentGateEvents,
  ConsentGateOptions,
  ConsentGateQueue,
  QueueMethod,
} from './consent-gate.js';
