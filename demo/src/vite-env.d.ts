/// <reference types="vite/client" />

/** The digest of `policies/dist/manifest.json`, pinned when the demo was built. */
declare const __POLICY_DIGEST__: string;

interface ImportMetaEnv {
  /** The collector's batch endpoint; the e2e tests point it at their own collector. */
  readonly VITE_COLLECTOR_URL?: string;
}
