export { startConsentGate } from './start-consent-gate.js';
export type { ConsentGate, ConsentGateEvents, ConsentGateOptions } from './start-consent-gate.js';
export type { ConsentGateCommand, ConsentGateQueue, QueueMethod } from './create-queue.js';
