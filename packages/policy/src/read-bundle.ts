import { canonicalJson, ConsentGateError, ErrorCode, sha256Hex } from '@consentgate/core';

import type { PolicySettings } from './policy-settings.js';
import type { PolicyManifest, PolicyManifestFile } from './policy.js';

/** A bundle whose files all match its manifest, and whose manifest matches the pinned digest. */
export interface Bundle {
  readonly manifest: PolicyManifest;
  readonly wasm: Uint8Array<ArrayBuffer>;
  readonly data: Uint8Array<ArrayBuffer>;
  /**
   * The module compiled while policy.wasm streamed in, or `null` (compile `wasm` then). It was
   * compiled from exactly the bytes in `wasm`; instantiate it only now that they are verified.
   */
  readonly module: Promise<WebAssembly.Module> | null;
}

/** Compiles policy bytes or a streaming `application/wasm` response. */
export type Compile = (source: Uint8Array<ArrayBuffer> | Response) => Promise<WebAssembly.Module>;

type FileName = 'policy.wasm' | 'data.json';

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Fetches or reads the three bundle files, each capped at `maxBytes` while it streams, verifies
 * them against the manifest and the manifest against the pinned digest, and returns the bundle.
 *
 * policy.wasm is compiled while it streams when it arrives as a `Response` with `Content-Type:
 * application/wasm`; the compiled module is handed out only once every hash has been checked.
 *
 * @throws {@link ConsentGateError} (as a rejection) `policy/fetch-failed`, `policy/timeout`,
 * `policy/too-large` or `policy/integrity-mismatch`.
 */
export async function readBundle(settings: PolicySettings, compile: Compile): Promise<Bundle> {
  const { url, parts, maxBytes, signal, digest, signature } = settings;
  let module: Promise<WebAssembly.Module> | null = null;

  /** The file as fetched or as given: a Response, bytes, or parsed JSON. */
  const get = (
    name: 'manifest.json' | '.signatures.json' | FileName,
    key: 'manifest' | 'wasm' | 'data' | 'signatures',
  ): Promise<unknown> =>
    url
      ? settings.fetch(new URL(name, url), signal ? { signal } : {})
      : Promise.resolve(parts?.[key]);

  /** Reads a Response or takes bytes; JSON data is hashed as `npm run policies` writes it. */
  const bytes = (part: unknown, name: string, onChunk?: (chunk: Uint8Array) => void) =>
    part instanceof Response
      ? read(part, name, maxBytes, onChunk)
      : ArrayBuffer.isView(part)
        ? part.byteLength > maxBytes
          ? Promise.reject(tooLarge(name))
          : (part as Uint8Array<ArrayBuffer>)
        : new TextEncoder().encode(`${canonicalJson(part)}\n`);

  const wasm = async (): Promise<Uint8Array<ArrayBuffer>> => {
    const part = await get('policy.wasm', 'wasm');
    if (
      !(part instanceof Response) ||
      !/^application\/wasm(;|$)/i.test(part.headers.get('content-type') ?? '')
    ) {
      return bytes(part, 'policy.wasm');
    }
    // Compile while reading: the chunks feed the compiler and are kept for hashing.
    let feed!: ReadableStreamDefaultController<Uint8Array>;
    module = compile(
      new Response(new ReadableStream<Uint8Array>({ start: (c) => void (feed = c) }), {
        headers: { 'content-type': 'application/wasm' },
      }),
    );
    // Awaited only after verification; until then a rejection (CSP, bad bytes) must not go unhandled.
    module.catch(() => {});
    try {
      const read = await bytes(part, 'policy.wasm', (chunk) => {
        // The compiler may have given up already (CSP); reading goes on so the bytes get verified.
        ignore(() => feed.enqueue(chunk));
      });
      ignore(() => feed.close());
      return read;
    } catch (error) {
      ignore(() => feed.error(error));
      throw error;
    }
  };

  try {
    signal?.throwIfAborted();
    const json = async (part: unknown, name: string): Promise<unknown> =>
      part instanceof Response || ArrayBuffer.isView(part)
        ? JSON.parse(new TextDecoder().decode(await bytes(part, name)))
        : part;
    const [manifest, wasmBytes, dataBytes, signatures] = await Promise.all([
      get('manifest.json', 'manifest').then(async (part) =>
        toManifest(await json(part, 'manifest.json')),
      ),
      wasm(),
      get('data.json', 'data').then((part) => bytes(part, 'data.json')),
      signature && get('.signatures.json', 'signatures').then((part) => json(part, 'signatures')),
    ]);
    const { files } = manifest;
    // The same text scripts/policies.mjs hashes into `digest`.
    const covered = `policy.wasm ${files['policy.wasm'].sha256}\ndata.json ${files['data.json'].sha256}\n`;
    if ((await sha256Hex(covered)) !== manifest.digest) throw mismatch('manifest digest');
    if (digest !== null && digest !== manifest.digest) throw mismatch('not the pinned digest');
    await Promise.all([
      check('policy.wasm', wasmBytes, files['policy.wasm']),
      check('data.json', dataBytes, files['data.json']),
    ]);
    if (signature) {
      // Its own chunk: sites that pin no key never download it.
      const { verifySignature } = await import('./verify-signature.js');
      await verifySignature(signatures, signature, {
        'policy.wasm': wasmBytes,
        'data.json': dataBytes,
      });
    }
    return { manifest, wasm: wasmBytes, data: dataBytes, module };
  } catch (error) {
    if (error instanceof ConsentGateError) throw error;
    if (error instanceof SyntaxError) throw mismatch('not JSON', error);
    const timeout = (signal?.reason as Error | undefined)?.name === 'TimeoutError';
    throw new ConsentGateError(
      timeout ? ErrorCode.PolicyTimeout : ErrorCode.PolicyFetchFailed,
      timeout ? 'timed out' : 'fetch failed',
      { cause: error },
    );
  }
}

async function check(name: FileName, bytes: Uint8Array, file: PolicyManifestFile): Promise<void> {
  if (bytes.byteLength !== file.bytes || (await sha256Hex(bytes)) !== file.sha256) {
    throw mismatch(`${name}: ${bytes.byteLength} bytes, not as in the manifest`);
  }
}

/** Reads a response body, stopping as soon as it grows past `maxBytes`. */
async function read(
  response: Response,
  name: string,
  maxBytes: number,
  onChunk?: (chunk: Uint8Array) => void,
): Promise<Uint8Array<ArrayBuffer>> {
  if (!response.ok) {
    throw new ConsentGateError(ErrorCode.PolicyFetchFailed, `${name}: HTTP ${response.status}`);
  }
  if (Number(response.headers.get('content-length')) > maxBytes) throw tooLarge(name);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = (response.body ?? new Response('').body)?.getReader();
  for (let next = await reader?.read(); next && !next.done; next = await reader?.read()) {
    total += next.value.byteLength;
    if (total > maxBytes) {
      reader?.cancel().catch(() => {});
      throw tooLarge(name);
    }
    chunks.push(next.value);
    onChunk?.(next.value);
  }
  const out = new Uint8Array(total);
  total = 0;
  for (const chunk of chunks) {
    out.set(chunk, total);
    total += chunk.byteLength;
  }
  return out;
}

/** Validates a parsed manifest and returns a frozen copy of the fields the engine relies on. */
function toManifest(value: unknown): PolicyManifest {
  const m = (value ?? {}) as Record<string, unknown> & { files?: Record<string, unknown> };
  const file = (name: FileName): PolicyManifestFile => {
    const { sha256, bytes } = (m.files?.[name] ?? {}) as Partial<PolicyManifestFile>;
    if (!HEX64.test(String(sha256)) || !Number.isSafeInteger(bytes)) throw mismatch(name);
    return Object.freeze({ sha256, bytes }) as PolicyManifestFile;
  };
  const strings = ['name', 'catalog_version', 'opa_version', 'abi_version', 'digest'] as const;
  const entrypoints = { ...(m.entrypoints as object) } as Record<string, number>;
  if (
    !strings.every((key) => typeof m[key] === 'string') ||
    !HEX64.test(m.digest as string) ||
    !Object.values(entrypoints).every(Number.isInteger)
  ) {
    throw mismatch('manifest.json');
  }
  const manifest = Object.fromEntries(strings.map((key) => [key, m[key]]));
  return Object.freeze({
    ...manifest,
    entrypoints: Object.freeze(entrypoints),
    files: Object.freeze({ 'policy.wasm': file('policy.wasm'), 'data.json': file('data.json') }),
  }) as PolicyManifest;
}

function mismatch(message: string, cause?: unknown): ConsentGateError {
  return new ConsentGateError(ErrorCode.PolicyIntegrityMismatch, message, { cause });
}

function tooLarge(name: string): ConsentGateError {
  return new ConsentGateError(ErrorCode.PolicyTooLarge, `${name} is larger than maxBytes`);
}

function ignore(fn: () => void): void {
  try {
    fn();
  } catch {
    // The stream was already closed or cancelled by its reader.
  }
}
