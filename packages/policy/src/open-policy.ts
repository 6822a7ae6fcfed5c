import { ConsentGateError, Entrypoint, ErrorCode, createEmitter } from '@consentgate/core';
import type { CollectDecision, CollectRecord } from '@consentgate/core';

import { createClosedPolicy, denyCollect, denyEgress, denyScript } from './create-closed-policy.js';
import type { ClosedPolicyOptions } from './create-closed-policy.js';
import { createDecisionCache } from './create-decision-cache.js';
import { compilePolicy, createEngine } from './create-engine.js';
import type { Engine } from './create-engine.js';
import { createFallbackNotice } from './create-fallback-notice.js';
import { deepFreeze } from './deep-freeze.js';
import { isCollectDecision, isEgressDecision, isNotice, isScriptDecision } from './is-decision.js';
import type { PolicySettings } from './policy-settings.js';
import type { Policy, PolicyAnswer, PolicyEvents } from './policy.js';
import { readBundle } from './read-bundle.js';
import { fastInput, sameTokens, serializeInput } from './serialize-input.js';
import type { FastInput, SerializedInput } from './serialize-input.js';

/** One day in milliseconds: collect's `expires_at` is `now + retention_days * DAY_MS`. */
const DAY_MS = 86_400_000;

/** How one entrypoint's result is checked, and what it falls back to. */
interface Kind {
  readonly entrypoint: Entrypoint;
  /** Cache key prefix, so that equal inputs to different entrypoints do not collide. */
  readonly tag: string;
  readonly valid: (value: unknown) => boolean;
  readonly fallback: (input: unknown, error: ConsentGateError) => unknown;
}

/** A cached answer, the `now` it was computed for, and (fast path) the input it answers. */
interface Entry {
  answer: PolicyAnswer<unknown>;
  now: number;
  readonly tokens: readonly unknown[] | undefined;
}

/**
 * Loads the bundle `settings` describe and returns a ready {@link Policy}, or a closed one that
 * denies everything when loading failed. Never rejects. Internal: the lazy half of
 * {@link loadPolicy}.
 */
export async function openPolicy(settings: PolicySettings): Promise<Policy> {
  let meta: ClosedPolicyOptions = {};
  try {
    const bundle = await readBundle(settings, compilePolicy);
    let catalog: unknown;
    meta = {
      digest: bundle.manifest.digest,
      manifest: bundle.manifest,
      pinned: settings.digest !== null,
      signed: settings.signature !== null,
      notice: (input) => createFallbackNotice((catalog ??= parseData(bundle.data)), input),
    };
    const module = await (bundle.module ?? compilePolicy(bundle.wasm));
    const engine = await createEngine(module, bundle.data, settings.maxPages);
    // The manifest's other fields are not covered by the digest; they must agree with the module.
    const { entrypoints, abi_version } = bundle.manifest;
    if (
      engine.abiVersion !== abi_version ||
      JSON.stringify(sorted(engine.entrypoints)) !== JSON.stringify(sorted(entrypoints))
    ) {
      throw new ConsentGateError(ErrorCode.PolicyIntegrityMismatch, 'manifest entrypoints');
    }
    return createReadyPolicy(engine, meta, settings.cacheSize);
  } catch (error) {
    return createClosedPolicy(
      error instanceof ConsentGateError
        ? error
        : new ConsentGateError(ErrorCode.PolicyCompileFailed, 'load failed', { cause: error }),
      meta,
    );
  }
}

function createReadyPolicy(engine: Engine, meta: ClosedPolicyOptions, cacheSize: number): Policy {
  const events = createEmitter<PolicyEvents>();
  const cache = createDecisionCache<Entry>(cacheSize);
  let live: Engine | null = engine;

  const kind = (
    entrypoint: Entrypoint,
    tag: string,
    valid: (value: unknown) => boolean,
    fallback: Kind['fallback'],
  ): Kind => ({ entrypoint, tag, valid, fallback });
  const notice = kind(Entrypoint.Notice, 'n', isNotice, (input) => meta.notice?.(input) ?? null);
  const collect = kind(Entrypoint.Collect, 'c', isCollectDecision, (input, error) =>
    denyCollect(input, error.code),
  );
  const egress = kind(Entrypoint.Egress, 'e', isEgressDecision, denyEgress);
  const script = kind(Entrypoint.Script, 's', isScriptDecision, denyScript);

  function fail(
    kind: Kind,
    input: unknown,
    code: ErrorCode,
    message: string,
    cause?: unknown,
  ): PolicyAnswer<unknown> {
    const error =
      cause instanceof ConsentGateError ? cause : new ConsentGateError(code, message, { cause });
    events.emit('error', error);
    return Object.freeze({ decision: kind.fallback(input, error), error });
  }

  function decide(kind: Kind, input: unknown): PolicyAnswer<unknown> {
    const { entrypoint, tag, valid } = kind;
    const id = live?.entrypoints[entrypoint];
    if (!live) return fail(kind, input, ErrorCode.PolicyNotLoaded, 'disposed');
    if (id === undefined) {
      return fail(kind, input, ErrorCode.PolicyUndefinedResult, `no ${entrypoint}`);
    }
    // The usual input shape takes the fast path; anything else is serialised canonically.
    let read: FastInput | SerializedInput;
    try {
      // Without a cache there is nothing to look up: read for the JSON straight away.
      read = fastInput(input, tag, cacheSize === 0) ?? serializeInput(input);
    } catch (cause) {
      return fail(kind, input, ErrorCode.PolicyEvalFailed, 'input is not JSON', cause);
    }
    const { now } = read;
    const tokens = 'tokens' in read ? read.tokens : undefined;
    // Fast-path answers live under their (number) hash and are confirmed on their tokens.
    let key: string | number | null =
      'tokens' in read ? read.hash : read.key === null ? null : tag + read.key;
    if (key !== null && cacheSize > 0) {
      const entry = cache.get(key);
      if (entry && (!tokens || (entry.tokens && sameTokens(entry.tokens, tokens)))) {
        if (Object.is(entry.now, now) || tag !== 'c') return entry.answer;
        const moved = atTime(entry.answer as PolicyAnswer<CollectDecision>, now);
        if (moved) {
          entry.answer = moved;
          entry.now = now;
          return moved;
        }
      }
    }
    let json = read.json;
    if (tokens && json === undefined) {
      // A miss on the fast path: read again, this time for the JSON. An input that changed in
      // between (a getter) is evaluated as read now, and not cached.
      try {
        const again = fastInput(input, tag, true);
        if (!again || !sameTokens(again.tokens, tokens)) key = null;
        json = again ? again.json : serializeInput(input).json;
      } catch (cause) {
        return fail(kind, input, ErrorCode.PolicyEvalFailed, 'input is not JSON', cause);
      }
    }
    let results: unknown;
    try {
      results = JSON.parse(live.evaluate(id, json));
    } catch (cause) {
      return fail(kind, input, ErrorCode.PolicyMalformedResult, 'result is not JSON', cause);
    }
    const first = (Array.isArray(results) ? results[0] : undefined) as
      { result?: unknown } | undefined;
    const decision = first?.result;
    if (decision === undefined || decision === null) {
      return fail(kind, input, ErrorCode.PolicyUndefinedResult, `${entrypoint}: no result`);
    }
    if ((results as unknown[]).length !== 1 || !valid(decision)) {
      return fail(kind, input, ErrorCode.PolicyMalformedResult, `${entrypoint}: wrong shape`);
    }
    const answer = Object.freeze({ decision: deepFreeze(decision) });
    if (key !== null && (tag !== 'c' || nowOnlyInExpiry(decision as CollectDecision, now))) {
      cache.set(key, { answer, now, tokens });
    }
    return answer;
  }

  return {
    digest: meta.digest ?? null,
    manifest: meta.manifest ?? null,
    pinned: meta.pinned ?? false,
    signed: meta.signed ?? false,
    error: null,
    notice: (input) => decide(notice, input) as ReturnType<Policy['notice']>,
    collect: (input) => decide(collect, input) as ReturnType<Policy['collect']>,
    egress: (input) => decide(egress, input) as ReturnType<Policy['egress']>,
    script: (input) => decide(script, input) as ReturnType<Policy['script']>,
    on: (name, fn) => events.on(name, fn),
    dispose() {
      live = null;
      cache.clear();
    },
  };
}

/**
 * Whether a collect decision depends on `now` only through `expires_at = now + retention`, as the
 * contract says; only then can a cached answer be moved to another `now` by {@link atTime}.
 */
function nowOnlyInExpiry(decision: CollectDecision, now: number): boolean {
  return Object.values(decision.records).every(
    (record) =>
      Number.isSafeInteger(record.retention_days * DAY_MS) &&
      record.expires_at === now + record.retention_days * DAY_MS,
  );
}

/** Returns a cached collect answer moved to `now`, or `null` when the expiry would be unsafe. */
function atTime(
  answer: PolicyAnswer<CollectDecision>,
  now: number,
): PolicyAnswer<CollectDecision> | null {
  const { decision } = answer;
  const records: Record<string, CollectRecord> = {};
  for (const purpose of Object.keys(decision.records)) {
    const record = decision.records[purpose] as CollectRecord;
    const expires = now + record.retention_days * DAY_MS;
    if (!Number.isSafeInteger(expires)) return null;
    records[purpose] = Object.freeze({ ...record, expires_at: expires });
  }
  return Object.freeze({
    decision: Object.freeze({ ...decision, records: Object.freeze(records) }),
  });
}

function sorted(record: Readonly<Record<string, number>>): [string, number][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1));
}

function parseData(data: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(data));
  } catch {
    return null;
  }
}
