// The options of loadPolicy after validation: what load-policy.ts hands the lazily loaded engine
// (open-policy.ts, read-bundle.ts). A types file of its own so neither side imports the other.
import type { PolicyBundle, PolicySignatureOptions } from './policy.js';

/** Options after validation, as the lazily loaded engine receives them. Internal. */
export interface PolicySettings {
  readonly url: URL | null;
  readonly parts: Readonly<Record<keyof PolicyBundle, unknown>> | null;
  readonly digest: string | null;
  readonly signature: PolicySignatureOptions | null;
  readonly maxBytes: number;
  readonly maxPages: number;
  readonly cacheSize: number;
  readonly fetch: (url: URL, init: RequestInit) => Promise<Response>;
  readonly signal: AbortSignal | undefined;
}
