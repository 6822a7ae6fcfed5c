/**
 * The policy contract: what the SDK and widget hand to the compiled policy, and the decisions it
 * returns. The Rego packages under `policies/src/consentgate/` produce exactly these shapes; the
 * golden tests check the compiled WebAssembly against them. Field names are snake_case where they
 * come straight from Rego, so a decision can be logged or sent without renaming.
 */

/**
 * Purposes the storefront catalog declares. Policies may declare more; the SDK treats any string
 * as a purpose id, so this object names the ones ConsentGate's own UI and demo rely on.
 */
export const Purpose = {
  /** Strictly necessary: no consent needed, still minimised. */
  Essential: 'essential',
  /** First-party measurement. */
  Analytics: 'analytics',
  /** On-device personalisation; never leaves the device. */
  Personalization: 'personalization',
  /** Advertising with a third party (a "sale or share" under CCPA/CPRA). */
  Marketing: 'marketing',
} as const;

/** A purpose id, such as `'analytics'`; any catalog-declared id is accepted. */
export type Purpose = (typeof Purpose)[keyof typeof Purpose] | (string & {});

/** Jurisdictions the storefront policy has rules for; anything else gets the strict default. */
export const Jurisdiction = {
  /** EU/EEA: GDPR and the ePrivacy Directive (opt-in). */
  EU: 'EU',
  /** California: CCPA/CPRA (opt-out of sale/share, GPC honoured). */
  USCA: 'US-CA',
  /** Japan: APPI (consent before third-party transfer). */
  JP: 'JP',
  /** Unknown or unlisted: the strictest rules. */
  Default: 'default',
} as const;

/** A jurisdiction code as sent to the policy, such as `'EU'`, `'US-CA'`, `'JP'` or `'DE'`. */
export type Jurisdiction = (typeof Jurisdiction)[keyof typeof Jurisdiction] | (string & {});

/** The compiled policy's entrypoints, by the name the WebAssembly module exports them under. */
export const Entrypoint = {
  /** What the banner must show: {@link Notice}. */
  Notice: 'consentgate/notice/decision',
  /** May this event be stored, for which purposes, how minimised: {@link CollectDecision}. */
  Collect: 'consentgate/collect/decision',
  /** May this record leave for this destination: {@link EgressDecision}. */
  Egress: 'consentgate/egress/decision',
  /** May this tagged script or iframe run: {@link ScriptDecision}. */
  Script: 'consentgate/script/decision',
} as const;

/** One of the {@link Entrypoint} names. */
export type Entrypoint = (typeof Entrypoint)[keyof typeof Entrypoint];

/** A human-readable text in each locale the catalog provides (`en` and `ja` at least). */
export interface LocalizedText {
  readonly en: string;
  readonly ja: string;
  readonly [locale: string]: string;
}

/** Privacy signals the browser sends. */
export interface Signals {
  /** `navigator.globalPrivacyControl`: an opt-out of sale/share, honoured in every jurisdiction. */
  readonly gpc?: boolean;
}

/** The consent state the policy sees: the visitor's explicit choices, if any. */
export interface ConsentState {
  /** The notice revision the visitor answered. */
  readonly revision?: string;
  /** Explicit choices per purpose; a missing purpose means "not asked / no answer". */
  readonly purposes: Readonly<Record<string, boolean>>;
  /** When the visitor answered (epoch ms). */
  readonly given_at?: number;
}

/** Event metadata the policy decides on: never property values, only their names. */
export interface PolicyEvent {
  /** Segment spec call type. */
  readonly type?: 'track' | 'page' | 'identify';
  /** Event name as declared in the catalog, such as `'Product Viewed'`. */
  readonly name: string;
  /** Property names present on the event. */
  readonly keys: readonly string[];
  /** The purpose a stored record was collected for (egress only). */
  readonly purpose?: string;
}

/** A tagged third-party script or iframe (script entrypoint only). */
export interface PolicyScript {
  /** The `data-cg-purpose` attribute. */
  readonly purpose: string;
  /** The `data-src` attribute, as written. */
  readonly src: string;
}

/**
 * The input every entrypoint receives. Fields are present when relevant to the entrypoint.
 * Policies never read the clock: `now` is always supplied by the caller.
 */
export interface PolicyInput {
  /** Current time, epoch milliseconds. Required by `collect` (expiry is computed from it). */
  readonly now: number;
  /** Where the visitor is, from configuration or the server; unknown values get strict rules. */
  readonly jurisdiction?: Jurisdiction;
  /** Browser privacy signals. */
  readonly signals?: Signals;
  /** The consent record; absent until the visitor answered the notice. */
  readonly consent?: ConsentState;
  /** The event being decided on (`collect`, `egress`). */
  readonly event?: PolicyEvent;
  /** The destination id (`egress`). */
  readonly destination?: string;
  /** The tagged script (`script`). */
  readonly script?: PolicyScript;
}

/** How a purpose must be agreed to in a jurisdiction. */
export type ConsentRequirement = 'none' | 'opt-in' | 'opt-out';

/** Why something was denied or dropped: a stable code with texts in the notice's `reasons`. */
export type ReasonCode =
  | 'consent-required'
  | 'consent-declined'
  | 'notice-not-acknowledged'
  | 'gpc-opt-out'
  | 'third-party-consent-required'
  | 'unknown-event'
  | 'unknown-purpose'
  | 'purpose-not-for-event'
  | 'unknown-property'
  | 'never-collected'
  | 'field-not-needed'
  | 'unknown-destination'
  | 'purpose-not-for-destination'
  | 'local-only-purpose'
  | 'field-not-for-destination'
  | 'unknown-script'
  | 'script-purpose-mismatch'
  | 'invalid-input';

/** A data category shown to the visitor, such as `user.contact.email`. */
export interface NoticeCategory {
  /** Fideslang-style label. */
  readonly id: string;
  /** Plain-words description. */
  readonly label: LocalizedText;
}

/** A recipient of a purpose's data. */
export interface NoticeRecipient {
  /** Destination id, as used by the egress entrypoint. */
  readonly id: string;
  /** Who it is, in plain words. */
  readonly name: LocalizedText;
  /** True when the recipient is not the site itself. */
  readonly third_party: boolean;
}

/** One purpose as the banner and preferences must present it. */
export interface NoticePurpose {
  /** Purpose id. */
  readonly id: Purpose;
  /** How it must be agreed to here. */
  readonly consent: ConsentRequirement;
  /** True when no consent is needed (strictly necessary). */
  readonly required: boolean;
  /** The switch's initial position: on only when the law lets us assume yes and GPC does not object. */
  readonly default: boolean;
  /** True when the visitor cannot change it (required, or switched off by GPC). */
  readonly locked: boolean;
  /** Whether the purpose is allowed with the consent given in the input. */
  readonly allowed: boolean;
  /** Legal basis here, such as `consent` or `opt-out-of-sale-share`. */
  readonly legal_basis: string;
  /** True when this purpose is a "sale or share" under CCPA/CPRA. */
  readonly sale_share: boolean;
  /** True when the data never leaves the device. */
  readonly local_only: boolean;
  /** How long its records are kept on the device, in days. */
  readonly retention_days: number;
  /** Short name. */
  readonly title: LocalizedText;
  /** What it does, in plain words. */
  readonly description: LocalizedText;
  /** What data it uses. */
  readonly categories: readonly NoticeCategory[];
  /** Who receives it; empty for device-only purposes. */
  readonly recipients: readonly NoticeRecipient[];
  /** Why it is currently not allowed, if it is not. */
  readonly reasons: readonly ReasonCode[];
}

/** What the banner must show in this jurisdiction (the `notice` entrypoint). */
export interface Notice {
  /** The resolved jurisdiction (`'EU'`, `'US-CA'`, `'JP'` or `'default'`). */
  readonly jurisdiction: Jurisdiction;
  /** The law that applies, in words (such as `'GDPR + ePrivacy Directive'`). */
  readonly regime: string;
  /** `opt-in`: ask before anything; `opt-out`: inform, offer "Do not sell or share". */
  readonly mode: 'opt-in' | 'opt-out';
  /** The catalog version; part of the notice revision a consent record cites. */
  readonly version: string;
  /** Whether GPC was detected and whether it changed what the visitor is offered. */
  readonly gpc: { readonly detected: boolean; readonly applied: boolean };
  /** Who is asking, and how to reach them about privacy. */
  readonly controller: {
    readonly name: LocalizedText;
    readonly contact: { readonly email?: string; readonly url?: string };
  };
  /** Purposes in display order. */
  readonly purposes: readonly NoticePurpose[];
  /** Texts for every reason code. */
  readonly reasons: Readonly<Record<string, LocalizedText>>;
}

/**
 * How a `generalise` field action coarsens a value. The policy's Rego, the decision validator in
 * `@consentgate/policy` and the SDK's minimiser all accept exactly these.
 */
export const GeneralisationMethod = {
  /** An address becomes its prefecture or state. */
  Region: 'region',
  /** Keep the first `length` characters (postal codes). */
  Prefix: 'prefix',
  /** A URL becomes its origin. */
  Origin: 'origin',
  /** A date becomes its year. */
  Year: 'year',
  /** Cut to `length` characters. */
  Truncate: 'truncate',
} as const;

/** One of the {@link GeneralisationMethod} values, such as `'region'`. */
export type GeneralisationMethod = (typeof GeneralisationMethod)[keyof typeof GeneralisationMethod];

/** How one property is minimised before it is stored. */
export type FieldAction =
  | { readonly action: 'keep' }
  | { readonly action: 'hash' }
  | {
      readonly action: 'generalise';
      /**
       * `region`: an address becomes its prefecture or state; `prefix`: keep the first `length`
       * characters (postal codes); `origin`: a URL becomes its origin; `year`: a date becomes its
       * year; `truncate`: cut to `length` characters.
       */
      readonly method: GeneralisationMethod;
      readonly length?: number;
    };

/** One record to store, for one allowed purpose. */
export interface CollectRecord {
  /** The purpose this record serves; withdrawal of it deletes the record. */
  readonly purpose: Purpose;
  /** Retention of the purpose, in days. */
  readonly retention_days: number;
  /** When the record must be gone (epoch ms): `now + retention`. */
  readonly expires_at: number;
  /** Whether this purpose may attach an anonymous identifier. */
  readonly anonymous_id: boolean;
  /** Properties kept, each with how to minimise it. Anything not listed is dropped. */
  readonly fields: Readonly<Record<string, FieldAction>>;
  /** Properties dropped for this purpose, each with why. */
  readonly dropped: Readonly<Record<string, ReasonCode>>;
}

/** The `collect` decision: may this event be stored, and as which records. */
export interface CollectDecision {
  /** True when at least one purpose may store the event. */
  readonly allow: boolean;
  /** The event name decided on, or `null` when it was missing. */
  readonly event: string | null;
  /** One record per allowed purpose. */
  readonly records: Readonly<Record<string, CollectRecord>>;
  /** Purposes the event serves that are stopped, with reason codes. */
  readonly denied: Readonly<Record<string, readonly ReasonCode[]>>;
  /** Every reason, as `"<purpose>:<code>"` or a bare event-level code. */
  readonly reasons: readonly string[];
}

/** The `egress` decision: may this record leave for this destination, with which fields. */
export interface EgressDecision {
  /** True when the record may be sent. */
  readonly allow: boolean;
  /** The destination decided on. */
  readonly destination: string | null;
  /** The record's purpose. */
  readonly purpose: string | null;
  /** Property names that may be sent (sorted); everything else must be stripped. */
  readonly fields: readonly string[];
  /** Property names that must not be sent, each with why. */
  readonly dropped: Readonly<Record<string, ReasonCode>>;
  /** Why it may not be sent. */
  readonly reasons: readonly ReasonCode[];
}

/** The `script` decision: may this tagged script or iframe run. */
export interface ScriptDecision {
  /** True when the script may be activated. */
  readonly allow: boolean;
  /** The source decided on. */
  readonly src: string | null;
  /** The purpose the catalog lists for it, or `null` when it is not listed. */
  readonly purpose: string | null;
  /** Why it may not run. */
  readonly reasons: readonly ReasonCode[];
}

/** How a consent record came about; recorded in the receipt. */
export type ConsentMethod =
  /** The visitor clicked in the banner or preferences (a trusted user event). */
  | 'banner'
  /** The visitor used the privacy centre. */
  | 'privacy-centre'
  /** The site called the API (for example from its own account settings). */
  | 'api'
  /** A browser signal (GPC) applied it. */
  | 'signal';

/**
 * A consent receipt: one entry of the append-only consent history. Receipts are hash-chained so a
 * rewritten history is detectable.
 */
export interface ConsentRecord {
  /** Receipt id. */
  readonly id: string;
  /** The notice revision the visitor answered (a hash of the purposes, texts and policy digest). */
  readonly revision: string;
  /** Explicit choices per purpose. */
  readonly purposes: Readonly<Record<string, boolean>>;
  /** The jurisdiction the notice was shown for. */
  readonly jurisdiction: Jurisdiction;
  /** Signals present when the choice was made. */
  readonly signals: Signals;
  /** How the choice was made. */
  readonly method: ConsentMethod;
  /** When the choice was made (epoch ms). */
  readonly given_at: number;
  /** Digest of the policy bundle in force (`manifest.json`'s `digest`). */
  readonly policy_digest: string;
  /** SHA-256 (hex) of the previous receipt, or `null` for the first. */
  readonly previous: string | null;
}
