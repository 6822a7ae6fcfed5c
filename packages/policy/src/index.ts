export { loadPolicy } from './load-policy.js';
export type { LoadPolicyOptions, PolicyBundle, PolicyBytes, PolicySource } from './load-policy.js';
export type { PolicySignatureOptions } from './verify-signature.js';
export type {
  Policy,
  PolicyAnswer,
  PolicyEvents,
  PolicyManifest,
  PolicyManifestFile,
} from './policy.js';
