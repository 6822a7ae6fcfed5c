// The contract of the pages consentgate-pages.ts serves, shared by that plugin (Node), the page
// scripts (consentgate-page-*.ts, run inside the page) and the tests (in the browser): how a page
// is described, and what it records.
import type { ConsentGateQueue } from '../../packages/consentgate/src/index.js';

/** The part of a Trusted Types policy the tests call. */
export interface ScriptUrlPolicy {
  createScriptURL(url: string): unknown;
}

/** What a page recorded, on `window.__probe`. */
export interface Probe {
  /** Every `console.error` line, arguments joined with spaces. */
  readonly console: string[];
  /** The `code` of each error ConsentGate's `error` event reported. */
  readonly errors: string[];
  /** Uncaught exceptions and unhandled rejections: each one escaped to the page. */
  readonly uncaught: string[];
  /** Each `securitypolicyviolation`: the directive and the blocked URI. */
  readonly violations: string[];
  /**
   * ConsentGate's events in order: `blocked <name>` (the whole event), `declined <name>
   * <purpose>`, `stored <name> <sku>`, `sent <name>`.
   */
  readonly timeline: string[];
  /** Trusted Types policies created on the page, by name. */
  readonly policies: Record<string, ScriptUrlPolicy>;
  /** What the stubs script's calls resolved to, by label. */
  readonly results: Record<string, Promise<unknown>>;
  /** Whether the stubs script ran while `ConsentGate` was still the queue. */
  stubsBeforeLoad?: boolean;
  /** Clicks the page's own button handled. */
  hostClicks: number;
  /** Own properties added to `window` since the recorder started (but `__probe`), sorted. */
  globals(): string[];
  /** Resolves once `event` (a ConsentGate event name) was heard `count` times. */
  when(event: string, count: number): Promise<void>;
}

/** The part of the Trusted Types API the tests call. */
export interface TrustedTypesFactory {
  createPolicy(name: string, rules: object): ScriptUrlPolicy;
}

/** A test page's window. */
export interface ProbeWindow extends Window {
  trustedTypes: TrustedTypesFactory;
  __probe: Probe;
  ConsentGate: ConsentGateQueue;
  dataLayer?: unknown[];
  /** Set by a tampered chunk if it ever ran. */
  __tampered?: boolean;
}

/** The message the stubs script posts to the test once its calls are made. */
export const STUBS_CALLED = 'consentgate-probe:stubs-called';

/** Where the pages live: `${CONSENTGATE_PAGES}<id>/index.html`; `sri.json` sits here too. */
export const CONSENTGATE_PAGES = '/__consentgate/script-tag/';

/** Classic scripts a page can run around the tag (test/support/consentgate-page-<name>.ts). */
export type PageScript = 'queue' | 'stubs';

/** One test page. */
export interface ScriptTagPage {
  /** The page's `Content-Security-Policy` header. */
  readonly csp: string;
  /** How the page's tag loads consentgate.js. */
  readonly loading: 'async' | 'defer' | 'blocking';
  /** A nonce every script tag of the page carries (for a nonce-based CSP). */
  readonly nonce?: string;
  /** Puts the tag on the page twice, as a site might by mistake. */
  readonly twice?: boolean;
  /** The tag's `data-*` attributes, by name without `data-`. */
  readonly attributes: Readonly<Record<string, string>>;
  /** Scripts run before the tag (after the recorder). */
  readonly before?: readonly PageScript[];
  /** Scripts deferred after the tag (before the host page's own script). */
  readonly after?: readonly PageScript[];
  /** Files served with code prepended, so their SRI hash no longer matches. */
  readonly tamper?: readonly string[];
  /** Files held back until `POST <id>/release` names them. */
  readonly hold?: readonly string[];
  /** How `<id>/policy/` serves the bundle: as built, missing (404) or with data.json corrupted. */
  readonly bundle?: 'intact' | 'missing' | 'corrupt';
}

/** What a tampered chunk does first, if it ever runs. */
export const TAMPERED_CODE = 'window.__tampered=true;';
