export { createUnavailableNotice } from './create-unavailable-notice.js';
export { loadPolicy } from './load-policy.js';
export type {
  LoadPolicyOptions,
  Policy,
  PolicyAnswer,
  PolicyBundle,
  PolicyBytes,
  PolicyEvents,
  PolicyManifest,
  PolicyManifestFile,
  PolicySignatureOptions,
  PolicySource,
} from './policy.js';
