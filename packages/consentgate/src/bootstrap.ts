// consentgate.js, the file a site puts in its script tag: a classic script, built as an IIFE and
// kept under 2 KB brotli. It reads its own data-* attributes, pushes the Consent Mode default,
// installs the `window.ConsentGate` queue, then loads the runtime chunk by `<script>` with the
// chunk's SRI hash (baked in at build time) through a Trusted Types policy, and hands it the queue.
// It never throws: its own failures are console lines (`ConsentGate [code]: …`) and `error` events.
import { REGISTRY_KEY } from './chunks.js';
import type { ChunkRegistry, LoadChunk, ScriptConfig } from './chunks.js';
import { consentModeEnabled, pushConsentModeDefaults } from './consent-mode-defaults.js';
import { codedError, createQueue } from './create-queue.js';
import type { CodedError } from './create-queue.js';

/**
 * The base64 SHA-384 of every chunk, by chunk id (`runtime`, `engine`, `widget.en`…; the file is
 * `consentgate.<id>.js`); replaced by scripts/build.mjs.
 */
declare const __CONSENTGATE_SRI__: Readonly<Record<string, string>>;

/** The part of the Trusted Types API the bootstrap uses (not in every TypeScript DOM lib). */
interface TrustedTypesLike {
  createPolicy(
    name: string,
    rules: { createScriptURL(url: string): string },
  ): { createScriptURL(url: string): unknown };
}

interface BootWindow {
  ConsentGate?: unknown;
  dataLayer?: unknown[];
  trustedTypes?: TrustedTypesLike;
  [REGISTRY_KEY]?: ChunkRegistry;
}

/** The code of a runtime chunk that did not load (`sdk/chunk-failed`): nothing is collected. */
const CHUNK_FAILED = 'sdk/chunk-failed';

// Only set while this script first runs, so it is read here, at the top level.
const current = document.currentScript as HTMLScriptElement | null;

try {
  boot(window as unknown as BootWindow);
} catch (error) {
  // Not the site's mistake (those are reported by name below): the bootstrap itself failed.
  report(codedError('sdk/start-failed', String(error), error));
}

function boot(scope: BootWindow): void {
  const existing = scope.ConsentGate as { ready?: unknown } | undefined;
  if (existing?.ready) {
    report(codedError('sdk/invalid-options', 'consentgate.js is on the page twice; ignored'));
    return;
  }
  const tag = current?.dataset.policy
    ? current
    : document.querySelector<HTMLScriptElement>('script[data-policy][src*="consentgate"]');
  const config: ScriptConfig = { ...tag?.dataset };
  if (consentModeEnabled(config.consentMode)) pushConsentModeDefaults(scope);
  const { queue, start, fail } = createQueue(existing, report);
  scope.ConsentGate = queue;
  if (!tag?.src || !config.policy) {
    fail(codedError('sdk/invalid-options', 'data-policy is missing; nothing is collected'));
    return;
  }
  const load = createLoader(scope, tag, config.locale);
  load('runtime')
    .then((runtime) => start(runtime.start(config, load as LoadChunk)))
    .catch((error: Partial<CodedError> & Error) =>
      fail(error.code ? (error as CodedError) : codedError(CHUNK_FAILED, error.message, error)),
    );
}

/**
 * Returns a loader that inserts each chunk once as `<script src integrity crossorigin>` next to
 * this file, and resolves to what the chunk registered. Script URLs go through the Trusted Types
 * policy `consentgate`, which mints only these chunks' URLs.
 */
function createLoader(
  scope: BootWindow,
  tag: HTMLScriptElement,
  locale: string | undefined,
): <Name extends keyof ChunkRegistry>(name: Name) => Promise<NonNullable<ChunkRegistry[Name]>> {
  // `split` returns at least one item.
  const lang = (locale || document.documentElement.lang).split('-')[0]!.toLowerCase();
  const widget = `widget.${__CONSENTGATE_SRI__[`widget.${lang}`] ? lang : 'en'}`;
  const urls: Record<string, string> = {};
  for (const id in __CONSENTGATE_SRI__) urls[id] = new URL(`consentgate.${id}.js`, tag.src).href;
  const known = Object.values(urls);
  let policy: ReturnType<TrustedTypesLike['createPolicy']> | undefined;
  try {
    policy = scope.trustedTypes?.createPolicy('consentgate', {
      createScriptURL(url) {
        if (known.includes(url)) return url;
        throw new TypeError(`not a ConsentGate chunk: ${url}`);
      },
    });
  } catch {
    // The page's `trusted-types` directive does not list `consentgate`. Where Trusted Types are
    // enforced, the chunks then fail to load, and that failure is reported.
  }
  const loading: Record<string, Promise<never>> = {};
  return (name) =>
    // A throw in here (Trusted Types refusing a plain URL) rejects the promise.
    (loading[name] ??= new Promise((resolve, reject) => {
      const id = name === 'widget' ? widget : name;
      const registry = (scope[REGISTRY_KEY] ??= {});
      delete registry[name];
      const failed = () =>
        reject(
          new Error(
            `consentgate.${id}.js did not load (missing, blocked by CSP or Trusted Types, or wrong SRI hash); nothing is collected`,
          ),
        );
      const script = document.createElement('script');
      script.integrity = `sha384-${__CONSENTGATE_SRI__[id]}`;
      script.crossOrigin = 'anonymous';
      // With a nonce-based CSP, the chunks carry the bootstrap's nonce.
      script.nonce = tag.nonce ?? '';
      script.onload = () => (registry[name] ? resolve(registry[name] as never) : failed());
      script.onerror = failed;
      const url = urls[id] ?? '';
      // A TrustedScriptURL where Trusted Types exist (required where they are enforced).
      script.src = (policy ? policy.createScriptURL(url) : url) as string;
      document.head.append(script);
    }));
}

/** Writes one `ConsentGate [code]: message` line to the console. */
function report({ code, message, cause }: CodedError): void {
  console.error(`ConsentGate [${code}]: ${message}`, cause ?? '');
}
