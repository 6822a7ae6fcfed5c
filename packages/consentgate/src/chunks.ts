// The private contract between consentgate.js (the bootstrap) and the chunks it loads: each chunk
// is a classic script that registers its exports on one registry object, and the bootstrap hands
// the runtime a loader for the others. Nothing here is public API.
import type * as Core from '@consentgate/core';
import type { Policy } from '@consentgate/policy';
import type * as WidgetModule from '@consentgate/widget';

import type { ConsentGate } from './consent-gate.js';

/**
 * Key of the chunk registry on `globalThis`. A registered symbol rather than a property name, so
 * the page sees no new global besides `ConsentGate`.
 */
export const REGISTRY_KEY = Symbol.for('consentgate');

/** The `data-*` attributes of the script tag as the bootstrap read them: unparsed strings. */
export interface ScriptConfig {
  readonly policy?: string | undefined;
  readonly policyDigest?: string | undefined;
  readonly collector?: string | undefined;
  readonly jurisdiction?: string | undefined;
  readonly locale?: string | undefined;
  readonly salt?: string | undefined;
  readonly consentMode?: string | undefined;
  readonly store?: string | undefined;
}

/** consentgate.runtime.js: starts ConsentGate from the script tag's attributes. */
export interface RuntimeChunk {
  /**
   * Starts ConsentGate and returns it.
   *
   * @throws ConsentGateError `sdk/invalid-options` for missing or malformed attributes.
   */
  start(config: ScriptConfig, load: LoadChunk): ConsentGate;
}

/** consentgate.engine.js: the lazy half of `@consentgate/policy` (WebAssembly host, checks). */
export interface EngineChunk {
  openPolicy(settings: unknown): Promise<Policy>;
}

/** Every chunk by name, as registered. */
export interface ChunkRegistry {
  /** `@consentgate/core`, registered by the runtime so the other chunks share its classes. */
  core?: typeof Core;
  runtime?: RuntimeChunk;
  engine?: EngineChunk;
  widget?: typeof WidgetModule;
}

/** Names of the chunks the runtime loads on demand. */
export type LazyChunk = 'engine' | 'widget';

/** Loads a chunk by name (by `<script>` with its SRI hash) and resolves to what it registered. */
export type LoadChunk = <Name extends LazyChunk>(
  name: Name,
) => Promise<NonNullable<ChunkRegistry[Name]>>;

/** Returns the registry, creating it on first use. */
export function registry(): ChunkRegistry {
  const scope = globalThis as { [REGISTRY_KEY]?: ChunkRegistry };
  return (scope[REGISTRY_KEY] ??= {});
}

/** Registers what chunk `name` provides. */
export function registerChunk<Name extends keyof ChunkRegistry>(
  name: Name,
  value: NonNullable<ChunkRegistry[Name]>,
): void {
  registry()[name] = value;
}

let loader: LoadChunk | undefined;

/** Sets the loader {@link loadChunk} uses; the runtime receives it from the bootstrap. */
export function useChunkLoader(load: LoadChunk): void {
  loader = load;
}

/** Loads chunk `name` through the bootstrap's loader; rejects when there is none or it fails. */
export function loadChunk<Name extends LazyChunk>(
  name: Name,
): Promise<NonNullable<ChunkRegistry[Name]>> {
  return loader ? loader(name) : Promise.reject(new Error(`no loader for the ${name} chunk`));
}
