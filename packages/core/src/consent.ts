// The consent contracts that the tracker, the widget, the script-tag distribution and the
// collector must agree on. Each is written once, here, so a receipt written by one party means the
// same to every other.
import type {
  ConsentMethod,
  ConsentRecord,
  ConsentState,
  Jurisdiction,
  Notice,
  PolicyInput,
  Signals,
} from './contract.js';

/**
 * A receipt before the store has chained it: everything but `id` and `previous`, which the store
 * assigns (it owns the hash chain).
 */
export type ConsentReceipt = Omit<ConsentRecord, 'id' | 'previous'>;

/** What {@link consentReceipt} needs to write a receipt for one answer to a notice. */
export interface ConsentReceiptOptions {
  /** The notice the visitor answered. */
  readonly notice: Notice;
  /** Its revision ({@link noticeRevision} of the notice and the policy digest). */
  readonly revision: string;
  /** The visitor's answers; missing or non-`true` answers are recorded as "no". */
  readonly choices: Readonly<Record<string, unknown>>;
  /** The policy digest in force; the receipt cites it. */
  readonly policyDigest: string;
  /** Browser signals present when the choice was made. */
  readonly signals: Signals;
  /** How the choice came about. */
  readonly method: ConsentMethod;
  /** When the choice was made (epoch ms). */
  readonly now: number;
}

/**
 * Completes `choices` into what a receipt records and returns it: one boolean for every purpose
 * of `notice` that is not required. Only a literal `true` is a yes; a missing, non-boolean or
 * `false` answer is a no, and a locked purpose (switched off by GPC) is always a no.
 *
 * @example
 * ```ts
 * receiptChoices(notice, { analytics: true, marketing: 'yes' }); // { analytics: true, marketing: false, … }
 * ```
 */
export function receiptChoices(
  notice: Notice,
  choices: Readonly<Record<string, unknown>>,
): Record<string, boolean> {
  const purposes: Record<string, boolean> = {};
  for (const purpose of notice.purposes) {
    if (purpose.required) continue;
    purposes[purpose.id] = !purpose.locked && choices[purpose.id] === true;
  }
  return purposes;
}

/**
 * Builds the receipt for one answer to `notice` and returns it, ready for the store to chain.
 * The tracker's `setConsent` and the widget's buttons both write receipts through it, so either
 * recognises the other's.
 */
export function consentReceipt(options: ConsentReceiptOptions): ConsentReceipt {
  return {
    revision: options.revision,
    purposes: receiptChoices(options.notice, options.choices),
    jurisdiction: options.notice.jurisdiction,
    signals: { gpc: options.signals.gpc === true },
    method: options.method,
    given_at: options.now,
    policy_digest: options.policyDigest,
  };
}

/**
 * Returns the consent state the policy sees for `record`, or `undefined` ("no consent", the one
 * spelling of it) when there is no record or when it answered a notice revision other than
 * `revision`: a receipt for an outdated notice asks again.
 *
 * Pass `revision` wherever the current notice is known (the browser); the collector, which only
 * has the receipt that travelled with a batch, omits it and lets the policy judge the revision.
 * Passing `undefined` explicitly means "the current revision is unknown" (it could not be
 * computed), and then no receipt counts.
 *
 * @example
 * ```ts
 * const consent = consentState(await store.consent.latest(), currentRevision);
 * if (!consent) widget.show();
 * ```
 */
export function consentState(
  record: Readonly<ConsentRecord> | null | undefined,
  ...revision: [revision?: string | undefined]
): ConsentState | undefined {
  if (!record) return undefined;
  // An explicit `undefined` revision (a notice whose revision could not be computed) matches no
  // receipt; leaving the argument out accepts the receipt as it is.
  if (revision.length > 0 && record.revision !== revision[0]) return undefined;
  return { revision: record.revision, purposes: record.purposes, given_at: record.given_at };
}

/** The parts of one decision's input that {@link policyInput} assembles. */
export interface PolicyInputOptions {
  /** Current time (epoch ms); policies never read the clock. */
  readonly now: number;
  /**
   * The visitor's jurisdiction.
   *
   * @default 'default' (the strictest rules)
   */
  readonly jurisdiction?: Jurisdiction | undefined;
  /**
   * The receipt in force, or `undefined` when there is none.
   *
   * @default undefined
   */
  readonly receipt?: Readonly<ConsentRecord> | null | undefined;
  /**
   * The current notice revision; a receipt for another revision counts as no consent. Leave it
   * out where the notice is not known (the collector); an explicit `undefined` (the revision
   * could not be computed) means no receipt counts.
   *
   * @default the receipt counts whatever revision it cites
   */
  readonly revision?: string | undefined;
  /**
   * Browser signals; only a literal `true` GPC counts.
   *
   * @default { gpc: false }
   */
  readonly signals?: Signals | undefined;
  /** The event decided on (`collect`, `egress`). @default undefined */
  readonly event?: PolicyInput['event'];
  /** The destination (`egress`). @default undefined */
  readonly destination?: string | undefined;
  /** The tagged script (`script`). @default undefined */
  readonly script?: PolicyInput['script'];
}

/**
 * Builds the input of one policy decision from a receipt and returns it: the one place where a
 * receipt becomes `input.consent`. The SDK (collect, egress, script), the collector (egress
 * again, on the receipt that travelled with the batch) and the demo's panels all call it, which
 * is what makes "one policy, enforced twice" one contract.
 *
 * @example
 * ```ts
 * policy.egress(policyInput({ now: Date.now(), jurisdiction: 'EU', receipt, revision,
 *   destination: 'collector', event: { type: 'track', name: 'Product Viewed', purpose: 'analytics', keys: ['sku'] } }));
 * ```
 */
export function policyInput(options: PolicyInputOptions): PolicyInput {
  const consent =
    'revision' in options
      ? consentState(options.receipt, options.revision)
      : consentState(options.receipt);
  return {
    now: options.now,
    jurisdiction: options.jurisdiction ?? 'default',
    signals: { gpc: options.signals?.gpc === true },
    ...(consent ? { consent } : {}),
    ...(options.event ? { event: options.event } : {}),
    ...(options.destination !== undefined ? { destination: options.destination } : {}),
    ...(options.script ? { script: options.script } : {}),
  };
}

/**
 * The name of the DOM `CustomEvent` dispatched on `window` (and of the message posted on
 * {@link CONSENT_CHANNEL}) whenever the consent in force changes, so that a tracker or widget in
 * another bundle, or a site's own script, hears it.
 */
export const CONSENT_UPDATED = 'consent:updated';

/** The `BroadcastChannel` that tells other tabs of the same origin that consent changed. */
export const CONSENT_CHANNEL = 'consentgate';

/**
 * The consent in force as a {@link CONSENT_UPDATED} event reports it: the receipt, or `undefined`
 * when there is none (everything was erased). On the wire of the DOM event itself the platform
 * spells "none" as a `null` `detail` (`CustomEvent` turns `undefined` into `null`); read it with
 * {@link consentFromEvent} to get this type back.
 */
export type ConsentUpdatedDetail = Readonly<ConsentRecord> | undefined;

/**
 * Tells the page that the consent in force changed: dispatches {@link CONSENT_UPDATED} on
 * `target` (a `window`) with `record` as its detail. Does nothing without a target. Call it only
 * after the receipt is committed.
 */
export function announceConsent(
  target: Pick<EventTarget, 'dispatchEvent'> | null | undefined,
  record: ConsentUpdatedDetail,
): void {
  if (!target || typeof CustomEvent !== 'function') return;
  target.dispatchEvent(new CustomEvent(CONSENT_UPDATED, { detail: record ?? null }));
}

/**
 * Returns the receipt a {@link CONSENT_UPDATED} event carries, or `undefined` when it says there
 * is none or its detail is not a receipt-shaped object (another script's event of the same name).
 * Listeners use it only as a hint and re-read their store, which stays the truth.
 */
export function consentFromEvent(event: Event): ConsentUpdatedDetail {
  const detail: unknown = (event as CustomEvent<unknown>).detail;
  return typeof detail === 'object' &&
    detail !== null &&
    typeof (detail as { id?: unknown }).id === 'string' &&
    typeof (detail as { revision?: unknown }).revision === 'string'
    ? (detail as ConsentRecord)
    : undefined;
}
