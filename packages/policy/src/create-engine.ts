import { ConsentGateError, ErrorCode } from '@consentgate/core';

/** Bytes in one WebAssembly page. */
const PAGE_BYTES = 65_536;

/** Pages the memory starts with; `opa build -t wasm` declares a minimum of 2 for its import. */
const INITIAL_PAGES = 2;

/** The smallest valid module (magic + version): compiling it tells CSP apart from bad bytes. */
const EMPTY_MODULE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);

const decoder = new TextDecoder();

interface OpaExports {
  opa_eval(
    reserved: 0,
    entrypoint: number,
    data: number,
    input: number,
    inputLength: number,
    heapPtr: number,
    format: 0,
  ): number;
  opa_malloc(bytes: number): number;
  opa_json_parse(address: number, length: number): number;
  opa_json_dump(value: number): number;
  opa_heap_ptr_get(): number;
  builtins(): number;
  entrypoints(): number;
  opa_wasm_abi_version?: WebAssembly.Global;
  opa_wasm_abi_minor_version?: WebAssembly.Global;
}

/**
 * A compiled OPA policy instantiated with its data, evaluating entrypoints through the ABI's
 * `opa_eval` fast path. Internal: `@consentgate/policy` wraps it in a `Policy`.
 */
export interface Engine {
  /** Entrypoint ids by name, read from the module's own `entrypoints()` table. */
  readonly entrypoints: Readonly<Record<string, number>>;
  /** The module's ABI version as `"major.minor"`. */
  readonly abiVersion: string;
  /**
   * Evaluates one entrypoint on `input` (JSON text, or `undefined` for no input) and returns the
   * result set as JSON text, such as `[{"result":{…}}]`.
   *
   * @throws {@link ConsentGateError} `policy/eval-failed` or `policy/memory-exhausted`; after a
   * trap the next call starts from a fresh instance.
   */
  evaluate(entrypoint: number, input: string | undefined): string;
}

/**
 * Compiles policy bytes, or a `Response` with `Content-Type: application/wasm` (streaming), and
 * returns the module.
 *
 * @throws {@link ConsentGateError} (as a rejection) `policy/csp-blocked` when the page's Content
 * Security Policy forbids WebAssembly, `policy/compile-failed` for anything else.
 */
export async function compilePolicy(
  source: Uint8Array<ArrayBuffer> | Response,
): Promise<WebAssembly.Module> {
  try {
    return await (source instanceof Uint8Array
      ? WebAssembly.compile(source)
      : WebAssembly.compileStreaming(source));
  } catch (cause) {
    // A page that may compile no module at all is blocked by CSP; otherwise the bytes are bad.
    let blocked = false;
    try {
      new WebAssembly.Module(EMPTY_MODULE);
    } catch {
      blocked = true;
    }
    throw new ConsentGateError(
      blocked ? ErrorCode.PolicyCspBlocked : ErrorCode.PolicyCompileFailed,
      blocked ? "CSP lacks 'wasm-unsafe-eval'" : 'policy.wasm did not compile',
      { cause },
    );
  }
}

/**
 * Instantiates `module` in a fresh `WebAssembly.Memory` capped at `maxPages`, loads `data` (the
 * bundle's data.json bytes) and returns the engine.
 *
 * @throws {@link ConsentGateError} (as a rejection) `policy/abi-unsupported` when the module needs
 * imports or builtins this host does not provide, or has an ABI other than 1.2+;
 * `policy/memory-exhausted` when `data` does not fit; `policy/compile-failed` otherwise.
 */
export async function createEngine(
  module: WebAssembly.Module,
  data: Uint8Array,
  maxPages: number,
): Promise<Engine> {
  // The memory must be ours, or the maxMemoryPages cap would not apply.
  if (!WebAssembly.Module.imports(module).some((i) => i.kind === 'memory')) {
    throw unsupported('no memory import');
  }
  const memory = (): WebAssembly.Memory =>
    new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: maxPages });
  let state = prepare(await instantiate(module, memory(), true), data);
  const encoder = new TextEncoder();
  let broken = false;

  return {
    entrypoints: state.entrypoints,
    abiVersion: state.abiVersion,
    evaluate(entrypoint, input) {
      // After a trap the allocator may be inconsistent, so the next call starts afresh. A compiled
      // module instantiates synchronously, even on the main thread.
      if (broken) {
        state = prepare(instantiate(module, memory(), false), data);
        broken = false;
      }
      const { exports, heap, dataAddr } = state;
      const { buffer } = state.memory;
      let length = 0;
      if (input !== undefined) {
        let result = encoder.encodeInto(input, new Uint8Array(buffer, heap));
        if (result.read < input.length) {
          // UTF-8 needs at most 3 bytes per UTF-16 code unit.
          try {
            state.memory.grow(
              Math.ceil((heap + input.length * 3 - buffer.byteLength) / PAGE_BYTES),
            );
          } catch (cause) {
            throw new ConsentGateError(ErrorCode.PolicyMemoryExhausted, 'input too large', {
              cause,
            });
          }
          result = encoder.encodeInto(input, new Uint8Array(state.memory.buffer, heap));
        }
        length = result.written;
      }
      try {
        // opa_eval first resets the heap pointer to its 6th argument, so every evaluation reuses
        // the memory after the input and nothing creeps.
        return text(
          state,
          exports.opa_eval(0, entrypoint, dataAddr, heap, length, heap + length, 0),
        );
      } catch (cause) {
        broken = true;
        throw classify(cause, ErrorCode.PolicyEvalFailed);
      }
    },
  };
}

interface EngineState {
  readonly exports: OpaExports;
  readonly memory: WebAssembly.Memory;
  readonly dataAddr: number;
  /** Where each evaluation writes its input: the first free byte after data.json. */
  readonly heap: number;
  readonly abiVersion: string;
  readonly entrypoints: Readonly<Record<string, number>>;
}

interface Instantiated {
  readonly instance: WebAssembly.Instance;
  readonly memory: WebAssembly.Memory;
}

function instantiate(
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
  async: true,
): Promise<Instantiated>;
function instantiate(
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
  async: false,
): Instantiated;
function instantiate(
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
  async: boolean,
): Instantiated | Promise<Instantiated> {
  const fail = (): never => {
    // builtins() was checked to be empty, so a well-formed module never calls one.
    throw new Error('host builtin');
  };
  const imports = {
    env: {
      memory,
      opa_abort(address: number) {
        throw new Error(`opa_abort: ${text({ memory }, address)}`);
      },
      opa_println() {},
      opa_builtin0: fail,
      opa_builtin1: fail,
      opa_builtin2: fail,
      opa_builtin3: fail,
      opa_builtin4: fail,
    },
  };
  const linkError = (cause: unknown): never => {
    throw cause instanceof WebAssembly.LinkError
      ? unsupported('unknown imports', cause)
      : classify(cause, ErrorCode.PolicyCompileFailed);
  };
  try {
    if (async) {
      return WebAssembly.instantiate(module, imports).then(
        (instance) => ({ instance, memory }),
        linkError,
      );
    }
    return { instance: new WebAssembly.Instance(module, imports), memory };
  } catch (cause) {
    return linkError(cause);
  }
}

/** Checks the ABI version and builtins, loads data.json, and returns what evaluation needs. */
function prepare({ instance, memory }: Instantiated, data: Uint8Array): EngineState {
  const exports = instance.exports as unknown as OpaExports;
  const major: unknown = exports.opa_wasm_abi_version?.value;
  const minor: unknown = exports.opa_wasm_abi_minor_version?.value;
  const abiVersion = `${String(major)}.${String(minor)}`;
  // 1.2 added opa_eval, the one-call evaluation this host relies on.
  if (major !== 1 || (minor as number) < 2 || typeof exports.opa_eval !== 'function') {
    throw unsupported(`ABI ${abiVersion}`);
  }
  try {
    const json = (address: number): Record<string, unknown> =>
      JSON.parse(text({ memory }, exports.opa_json_dump(address))) as Record<string, unknown>;
    const builtins = Object.keys(json(exports.builtins()));
    if (builtins.length > 0) throw unsupported(`builtins ${builtins.join()}`);
    const entrypoints = json(exports.entrypoints());
    if (!Object.values(entrypoints).every(Number.isInteger)) throw unsupported('entrypoints');
    const address = exports.opa_malloc(data.byteLength);
    // OPA's allocator ignores a failed memory.grow, so check that the data really fits.
    if (address + data.byteLength > memory.buffer.byteLength) {
      throw new ConsentGateError(ErrorCode.PolicyMemoryExhausted, 'data.json too large');
    }
    new Uint8Array(memory.buffer).set(data, address);
    const dataAddr = exports.opa_json_parse(address, data.byteLength);
    if (dataAddr === 0) throw new ConsentGateError(ErrorCode.PolicyCompileFailed, 'data.json');
    return {
      exports,
      memory,
      dataAddr,
      heap: exports.opa_heap_ptr_get(),
      abiVersion,
      entrypoints: entrypoints as Record<string, number>,
    };
  } catch (cause) {
    throw cause instanceof ConsentGateError
      ? cause
      : classify(cause, ErrorCode.PolicyCompileFailed);
  }
}

/** Reads the NUL-terminated UTF-8 string at `address`. */
function text({ memory }: { readonly memory: WebAssembly.Memory }, address: number): string {
  const bytes = new Uint8Array(memory.buffer);
  const end = bytes.indexOf(0, address);
  if (end < 0) throw new ConsentGateError(ErrorCode.PolicyEvalFailed, 'unterminated result');
  return decoder.decode(bytes.subarray(address, end));
}

/** Turns a trap or an abort into an error with a code; memory failures get their own. */
function classify(
  cause: unknown,
  code: typeof ErrorCode.PolicyEvalFailed | typeof ErrorCode.PolicyCompileFailed,
): ConsentGateError {
  // Running out of memory shows up as OPA's "opa_malloc: failed" abort, or as an out-of-bounds
  // trap (V8, SpiderMonkey and JavaScriptCore wordings) when a grow failed unnoticed.
  return /opa_malloc|out of bounds/i.test(String((cause as Error | null)?.message))
    ? new ConsentGateError(ErrorCode.PolicyMemoryExhausted, 'out of memory', { cause })
    : new ConsentGateError(code, 'policy.wasm failed', { cause });
}

function unsupported(message: string, cause?: unknown): ConsentGateError {
  return new ConsentGateError(ErrorCode.PolicyAbiUnsupported, message, { cause });
}
