import type { PolicyScript } from '@consentgate/core';

/** Blocked third-party tags: `<script type="text/plain" data-cg-purpose>` and `<iframe data-cg-purpose data-src>`. */
const BLOCKED_SELECTOR =
  'script[type="text/plain"][data-cg-purpose], iframe[data-cg-purpose][data-src]';

/** Set on elements ConsentGate activated, so a page (and its tests) can see what ran. */
const ACTIVATED_ATTRIBUTE = 'data-cg-activated';

/** Options for {@link createActivator}. */
export interface ActivatorOptions {
  /**
   * Asks the policy whether a tagged element may run; anything but `true` keeps it blocked.
   * Called again for every element on each {@link Activator.refresh}.
   */
  readonly decide: (script: PolicyScript) => Promise<boolean> | boolean;
  /**
   * The document to watch.
   * @default globalThis.document
   */
  readonly document?: Document;
  /**
   * Receives failures (a `decide` that throws, a Trusted Types refusal); the element stays blocked.
   * @default undefined
   */
  readonly onError?: (error: unknown, element: Element) => void;
}

/** What {@link createActivator} returns. */
export interface Activator {
  /** Activates what is allowed now and watches for tagged elements added later. */
  start(): Promise<void>;
  /**
   * Re-decides every tagged element after a consent change: activates newly allowed ones and blanks
   * iframes whose purpose is no longer allowed. Returns how many scripts that already ran are no
   * longer allowed (a running script cannot be unloaded; they stop on the next page load).
   */
  refresh(): Promise<{ readonly stillRunning: number }>;
  /** Stops watching the document. */
  stop(): void;
}

/**
 * Creates the activator for consent-gated scripts and iframes and returns its controls.
 * Nothing is activated until {@link Activator.start}; an element runs only when `decide` says yes.
 *
 * @example
 * ```html
 * <script type="text/plain" data-cg-purpose="marketing" data-src="/vendors/ads-pixel.js"></script>
 * <iframe data-cg-purpose="personalization" data-src="https://chat.example/embed"></iframe>
 * ```
 */
export function createActivator(options: ActivatorOptions): Activator {
  const doc = options.document ?? globalThis.document;
  /** Blocked scripts whose replacement ran; keyed by the original, which is detached. */
  const ranScripts = new Map<Element, PolicyScript>();
  const pending = new Set<Element>();
  let observer: MutationObserver | undefined;

  const report = (error: unknown, element: Element) => {
    try {
      options.onError?.(error, element);
    } catch {
      // A failing error handler must not break activation of other elements.
    }
  };

  const ask = async (script: PolicyScript, element: Element): Promise<boolean> => {
    try {
      return (await options.decide(script)) === true;
    } catch (error) {
      report(error, element);
      return false;
    }
  };

  const consider = async (element: Element): Promise<void> => {
    if (pending.has(element) || ranScripts.has(element)) return;
    const script = describe(element);
    if (!script) return;
    pending.add(element);
    try {
      const allowed = await ask(script, element);
      if (element instanceof HTMLIFrameElement) {
        setIframe(element, allowed ? script.src : undefined);
      } else if (allowed && element.isConnected) {
        activateScript(element as HTMLScriptElement, doc);
        ranScripts.set(element, script);
      }
    } catch (error) {
      report(error, element);
    } finally {
      pending.delete(element);
    }
  };

  const scan = () => Promise.all([...doc.querySelectorAll(BLOCKED_SELECTOR)].map(consider));

  return {
    async start() {
      if (!observer && typeof MutationObserver === 'function') {
        observer = new MutationObserver((records) => {
          for (const record of records) {
            for (const node of record.addedNodes) {
              if (!(node instanceof Element)) continue;
              const candidates = node.matches(BLOCKED_SELECTOR)
                ? [node]
                : [...node.querySelectorAll(BLOCKED_SELECTOR)];
              for (const element of candidates) void consider(element);
            }
          }
        });
        observer.observe(doc.documentElement, { childList: true, subtree: true });
      }
      await scan();
    },
    async refresh() {
      await scan();
      let stillRunning = 0;
      for (const [element, script] of ranScripts) {
        if (!(await ask(script, element))) stillRunning += 1;
      }
      return { stillRunning };
    },
    stop() {
      observer?.disconnect();
      observer = undefined;
    },
  };
}

function describe(element: Element): PolicyScript | undefined {
  const purpose = element.getAttribute('data-cg-purpose');
  const src = element.getAttribute('data-src') ?? '';
  if (!purpose) return undefined;
  return { purpose, src };
}

/**
 * Replaces a blocked `type="text/plain"` script with a runnable copy. A script element's type
 * cannot be changed into running after insertion, so a fresh element takes its place.
 */
function activateScript(blocked: HTMLScriptElement, doc: Document): void {
  const runnable = doc.createElement('script');
  for (const { name, value } of blocked.attributes) {
    if (name === 'type' || name === 'data-src' || name === 'data-type') continue;
    runnable.setAttribute(name, value);
  }
  const type = blocked.getAttribute('data-type');
  if (type) runnable.type = type;
  const src = blocked.getAttribute('data-src');
  if (src) setScriptSrc(runnable, src);
  else runnable.text = blocked.text;
  runnable.setAttribute(ACTIVATED_ATTRIBUTE, '');
  blocked.replaceWith(runnable);
}

function setIframe(frame: HTMLIFrameElement, src: string | undefined): void {
  if (src) {
    if (frame.getAttribute('src') !== src) frame.setAttribute('src', src);
    frame.setAttribute(ACTIVATED_ATTRIBUTE, '');
  } else if (frame.hasAttribute(ACTIVATED_ATTRIBUTE)) {
    // Withdrawn: unload the third party's document right away.
    frame.setAttribute('src', 'about:blank');
    frame.removeAttribute(ACTIVATED_ATTRIBUTE);
  }
}

interface TrustedTypesLike {
  createPolicy(
    name: string,
    rules: { createScriptURL: (url: string) => string },
  ): { createScriptURL(url: string): unknown };
}

let scriptUrlPolicy: { createScriptURL(url: string): unknown } | null | undefined;

/**
 * Assigns a script URL that the policy already allowed. Under an enforced Trusted Types CSP a plain
 * string is refused, so URLs go through a named policy (`consentgate#activation`, which a site lists
 * in its `trusted-types` directive).
 */
function setScriptSrc(script: HTMLScriptElement, src: string): void {
  if (scriptUrlPolicy === undefined) {
    const tt = (globalThis as { trustedTypes?: TrustedTypesLike }).trustedTypes;
    try {
      scriptUrlPolicy = tt
        ? tt.createPolicy('consentgate#activation', { createScriptURL: (u) => u })
        : null;
    } catch {
      scriptUrlPolicy = null;
    }
  }
  (script as { src: unknown }).src = scriptUrlPolicy ? scriptUrlPolicy.createScriptURL(src) : src;
}
