// A hand-assembled WebAssembly module that speaks just enough of the OPA ABI (the opa_eval fast
// path) to drive @consentgate/policy into each of its failure paths: a result of any shape, a
// trap, an opa_abort, exhausted memory, a wrong ABI version, host builtins, missing exports.

/** How the fake `opa_eval` behaves. */
export type FakeEval = 'result' | 'trap' | 'abort' | 'exhaust';

/** Options for {@link fakeOpaWasm}. */
export interface FakeOpaOptions {
  /** `opa_wasm_abi_version` and `opa_wasm_abi_minor_version`. @default [1, 3] */
  readonly abi?: readonly [number, number];
  /** What `builtins()` dumps. @default '{}' */
  readonly builtins?: string;
  /** What `entrypoints()` dumps. @default the four ConsentGate entrypoints, ids 0–3 */
  readonly entrypoints?: string;
  /** The result-set JSON `opa_eval` returns. @default '[]' */
  readonly result?: string;
  /** What `opa_eval` does. @default 'result' */
  readonly eval?: FakeEval;
  /** Also import a host function the engine does not provide. @default false */
  readonly extraImport?: boolean;
  /** Leave one export out. @default undefined */
  readonly omitExport?: string;
  /** Make `opa_json_parse` fail (return 0), as for data that is not JSON. @default false */
  readonly failDataParse?: boolean;
  /** Define its own memory instead of importing one. @default false */
  readonly ownMemory?: boolean;
}

/** Entrypoint ids of the storefront bundle's four entrypoints, in the fake's default table. */
export const FAKE_ENTRYPOINTS = JSON.stringify({
  'consentgate/notice/decision': 0,
  'consentgate/collect/decision': 1,
  'consentgate/egress/decision': 2,
  'consentgate/script/decision': 3,
});

const I32 = 0x7f;
const BUILTINS_AT = 64;
const ENTRYPOINTS_AT = 512;
const MESSAGE_AT = 1536;
const RESULT_AT = 2048;
/** Where the fake's bump allocator starts: page 1, so data.json fits in the 2 initial pages. */
const HEAP_AT = 65_536;

/** Assembles the fake module and returns its bytes. */
export function fakeOpaWasm(options: FakeOpaOptions = {}): Uint8Array<ArrayBuffer> {
  const [major, minor] = options.abi ?? [1, 3];
  const mode = options.eval ?? 'result';
  const types = [
    fn([I32], []), // 0: opa_abort
    fn([I32], [I32]), // 1: opa_malloc, opa_json_dump
    fn([I32, I32], [I32]), // 2: opa_json_parse
    fn([], [I32]), // 3: opa_heap_ptr_get, builtins, entrypoints
    fn([I32, I32, I32, I32, I32, I32, I32], [I32]), // 4: opa_eval
  ];
  const imports: number[][] = [importEntry('env', 'opa_abort', [0x00, 0])];
  if (options.extraImport) imports.push(importEntry('env', 'opa_extra', [0x00, 0]));
  if (!options.ownMemory) imports.push(importEntry('env', 'memory', [0x02, 0x00, 2]));
  const importedFunctions = options.extraImport ? 2 : 1;

  const exhaust = [
    // loop: grow by one page until memory.grow answers -1 …
    0x02,
    0x40,
    0x03,
    0x40,
    0x41,
    1,
    0x40,
    0x00,
    0x41,
    0x7f,
    0x47,
    0x0d,
    0x00,
    0x0b,
    0x0b,
    // … then store one byte past the end, as the OPA allocator does after a failed grow.
    0x3f,
    0x00,
    0x41,
    ...sleb(65_536),
    0x6c,
    0x41,
    0,
    0x3a,
    0x00,
    0x00,
    0x41,
    0,
  ];
  const evalBody = {
    result: [0x41, ...sleb(RESULT_AT)],
    trap: [0x00],
    abort: [0x41, ...sleb(MESSAGE_AT), 0x10, 0, 0x41, 0],
    exhaust,
  }[mode];
  const functions: { name: string; type: number; body: number[] }[] = [
    // heap = heap + size, returning the old heap
    { name: 'opa_malloc', type: 1, body: [0x23, 0, 0x23, 0, 0x20, 0, 0x6a, 0x24, 0] },
    { name: 'opa_json_parse', type: 2, body: [0x41, options.failDataParse ? 0 : 1] },
    { name: 'opa_json_dump', type: 1, body: [0x20, 0] },
    { name: 'opa_heap_ptr_get', type: 3, body: [0x23, 0] },
    { name: 'builtins', type: 3, body: [0x41, ...sleb(BUILTINS_AT)] },
    { name: 'entrypoints', type: 3, body: [0x41, ...sleb(ENTRYPOINTS_AT)] },
    { name: 'opa_eval', type: 4, body: evalBody },
  ];
  const globals = [
    [I32, 1, 0x41, ...sleb(HEAP_AT), 0x0b], // 0: heap pointer (mutable)
    [I32, 0, 0x41, ...sleb(major), 0x0b], // 1: opa_wasm_abi_version
    [I32, 0, 0x41, ...sleb(minor), 0x0b], // 2: opa_wasm_abi_minor_version
  ];
  const exports: [string, number, number][] = [
    ...functions.map((f, i): [string, number, number] => [f.name, 0x00, importedFunctions + i]),
    ['opa_wasm_abi_version', 0x03, 1],
    ['opa_wasm_abi_minor_version', 0x03, 2],
  ];
  const strings: [number, string][] = [
    [BUILTINS_AT, options.builtins ?? '{}'],
    [ENTRYPOINTS_AT, options.entrypoints ?? FAKE_ENTRYPOINTS],
    [MESSAGE_AT, 'fake policy aborted'],
    [RESULT_AT, options.result ?? '[]'],
  ];

  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(types)),
    ...section(2, vec(imports)),
    ...section(3, vec(functions.map((f) => [f.type]))),
    ...(options.ownMemory ? section(5, vec([[0x00, 2]])) : []),
    ...section(6, vec(globals)),
    ...section(
      7,
      vec(
        exports
          .filter(([field]) => field !== options.omitExport)
          .map(([field, kind, index]) => exportEntry(field, kind, index)),
      ),
    ),
    ...section(10, vec(functions.map((f) => withSize([0x00, ...f.body, 0x0b])))),
    ...section(
      11,
      vec(
        strings.map(([at, text]) => [
          0x00,
          0x41,
          ...sleb(at),
          0x0b,
          ...vec([...new TextEncoder().encode(text), 0].map((byte) => [byte])),
        ]),
      ),
    ),
  ]);
}

function fn(params: number[], results: number[]): number[] {
  return [0x60, ...vec(params.map((p) => [p])), ...vec(results.map((r) => [r]))];
}

function name(text: string): number[] {
  return vec([...new TextEncoder().encode(text)].map((byte) => [byte]));
}

function importEntry(module: string, field: string, descriptor: number[]): number[] {
  return [...name(module), ...name(field), ...descriptor];
}

function exportEntry(field: string, kind: number, index: number): number[] {
  return [...name(field), kind, ...uleb(index)];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function withSize(bytes: number[]): number[] {
  return [...uleb(bytes.length), ...bytes];
}

function section(id: number, contents: number[]): number[] {
  return [id, ...withSize(contents)];
}

function uleb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

function sleb(value: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}
