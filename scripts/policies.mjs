#!/usr/bin/env node
// The privacy team's one command: format check, strict compile, lint, tests with coverage, and the
// WebAssembly build into policies/dist/. `--check` rebuilds into a scratch folder and fails when the
// committed bundle drifted from the Rego and catalog sources. Both modes also regenerate the golden
// expectations (policies/test/golden.json, git-ignored) that the WebAssembly golden tests compare to.
//
// Usage: node scripts/policies.mjs [--check] [--skip-lint]
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';

import { goldenCases } from '../policies/golden-cases.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const POLICIES = join(ROOT, 'policies');
const SRC = join(POLICIES, 'src');
const DIST = join(POLICIES, 'dist');
const GOLDEN = join(POLICIES, 'test', 'golden.json');
const CAPABILITIES = join(POLICIES, 'capabilities.json');
/** Rego coverage below this fails the build (non-test files only). */
const MIN_COVERAGE = 90;
/** Every decision the SDK and widget rely on; ids are fixed by this order. */
const ENTRYPOINTS = [
  'consentgate/notice/decision',
  'consentgate/collect/decision',
  'consentgate/egress/decision',
  'consentgate/script/decision',
];

const args = new Set(process.argv.slice(2));
const CHECK = args.has('--check');

main();

function main() {
  const opa = tool('opa');
  const regal = args.has('--skip-lint') ? null : tool('regal');
  const version = opaVersion(opa);

  step('opa fmt', () => run(opa, ['fmt', '--list', '--fail', SRC]));
  step('opa check --strict', () => run(opa, ['check', '--strict', SRC]));
  step('opa check --capabilities (builtins allowed in policies)', () =>
    run(opa, ['check', '--strict', '--capabilities', CAPABILITIES, '--ignore', '*_test.rego', SRC]),
  );
  if (regal)
    step('regal lint', () =>
      run(regal, ['lint', '--config-file', join(POLICIES, '.regal', 'config.yaml'), SRC]),
    );
  step(`opa test --coverage (>= ${MIN_COVERAGE}%)`, () => testWithCoverage(opa));

  const out = CHECK ? mkdtempSync(join(tmpdir(), 'consentgate-policies-')) : DIST;
  step('opa build -t wasm', () => build(opa, version, out));
  // Generated, not committed (2.5 MB): the golden tests read it, and only `opa eval` can make it.
  step('golden expectations (opa eval over every case)', () => writeGolden(opa, GOLDEN));

  if (CHECK) {
    step('drift check against the committed bundle', () => {
      const drifted = [];
      for (const name of ['policy.wasm', 'data.json', 'manifest.json']) {
        if (!sameFile(join(out, name), join(DIST, name))) drifted.push(`policies/dist/${name}`);
      }
      rmSync(out, { recursive: true, force: true });
      if (drifted.length > 0) {
        fail(
          `${drifted.join(', ')} differ from what the sources build.\n` +
            '  Run `npm run policies` and commit the result.',
        );
      }
    });
  }
  printSizes(CHECK ? DIST : out);
}

/** Finds a pinned tool binary, building it from tools/<name>/go.mod when it is missing. */
function tool(name) {
  const fromEnv = process.env[`CONSENTGATE_${name.toUpperCase()}`];
  if (fromEnv) return fromEnv;
  const bin = join(ROOT, 'tools', 'bin', name);
  if (existsSync(bin)) return bin;
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error || go.status !== 0) {
    fail(
      `${name} is missing and Go is not installed.\n` +
        `  The pinned ${name} is built from tools/${name}/go.mod and needs Go 1.26 or newer on PATH.\n` +
        '  Install Go, then run `npm run tools` (or set CONSENTGATE_' +
        name.toUpperCase() +
        ' to an existing binary of the pinned version).',
    );
  }
  console.log(`building pinned ${name} from tools/${name}/go.mod …`);
  execFileSync(join(ROOT, 'tools', 'build.sh'), [name], { stdio: 'inherit' });
  return bin;
}

function opaVersion(opa) {
  const text = execFileSync(opa, ['version'], { encoding: 'utf8' });
  const match = /^Version: (\S+)/m.exec(text);
  if (!match?.[1]) fail(`could not read the OPA version from:\n${text}`);
  return match[1];
}

function testWithCoverage(opa) {
  const result = spawnSync(opa, ['test', SRC, '--coverage', '--format', 'json'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    // Re-run verbosely so the failing tests and their print() output are readable.
    spawnSync(opa, ['test', SRC, '-v'], { stdio: 'inherit' });
    fail('opa test failed');
  }
  const report = JSON.parse(result.stdout);
  let covered = 0;
  let total = 0;
  for (const [file, entry] of Object.entries(report.files ?? {})) {
    if (file.endsWith('_test.rego')) continue;
    const lines = (ranges) => (ranges ?? []).reduce((n, r) => n + (r.end.row - r.start.row + 1), 0);
    covered += lines(entry.covered);
    total += lines(entry.covered) + lines(entry.not_covered);
  }
  const percent = total === 0 ? 0 : (100 * covered) / total;
  const tests = spawnSync(opa, ['test', SRC, '--format', 'json'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const count = JSON.parse(tests.stdout).length;
  console.log(`  ${count} Rego tests passed; coverage of policy files ${percent.toFixed(2)}%`);
  if (percent < MIN_COVERAGE)
    fail(`Rego coverage ${percent.toFixed(2)}% is below ${MIN_COVERAGE}%`);
}

function build(opa, version, out) {
  mkdirSync(out, { recursive: true });
  const scratch = mkdtempSync(join(tmpdir(), 'consentgate-build-'));
  const bundle = join(scratch, 'bundle.tar.gz');
  // Built from inside src/ with a relative path: the module embeds source file names (for error
  // locations), and absolute ones would make the bytes depend on where the repository is checked out.
  run(
    opa,
    [
      'build',
      '-t',
      'wasm',
      ...ENTRYPOINTS.flatMap((e) => ['-e', e]),
      '--ignore',
      '*_test.rego',
      '-o',
      bundle,
      '.',
    ],
    SRC,
  );
  execFileSync('tar', ['-xzf', bundle, '-C', scratch, '/policy.wasm', '/data.json'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const wasm = readFileSync(join(scratch, 'policy.wasm'));
  // Re-serialise data.json canonically (sorted keys) so its digest is stable across OPA versions.
  const data = Buffer.from(
    canonicalJson(JSON.parse(readFileSync(join(scratch, 'data.json'), 'utf8'))) + '\n',
  );
  rmSync(scratch, { recursive: true, force: true });

  const module = inspectWasm(wasm);
  const nonNative = Object.keys(module.builtins);
  if (nonNative.length > 0) {
    fail(
      `policy.wasm needs builtins the WebAssembly runtime does not implement natively: ${nonNative.join(', ')}.\n` +
        '  Remove them from the policy (and from policies/capabilities.json).',
    );
  }
  for (const entrypoint of ENTRYPOINTS) {
    if (!(entrypoint in module.entrypoints)) fail(`policy.wasm lacks entrypoint ${entrypoint}`);
  }

  writeFileSync(join(out, 'policy.wasm'), wasm);
  writeFileSync(join(out, 'data.json'), data);
  const catalog = JSON.parse(data.toString('utf8')).consentgate.catalog;
  const sources = {};
  for (const file of listFiles(SRC)) {
    if (file.endsWith('_test.rego')) continue;
    sources[relative(SRC, file).split(sep).join('/')] = sha256(readFileSync(file));
  }
  const files = {
    'policy.wasm': { sha256: sha256(wasm), bytes: wasm.length },
    'data.json': { sha256: sha256(data), bytes: data.length },
  };
  const manifest = {
    name: 'consentgate-storefront',
    catalog_version: catalog.version,
    opa_version: version,
    abi_version: module.abiVersion,
    entrypoints: module.entrypoints,
    // The policy digest: what consent receipts and audit entries cite, and what a site pins.
    digest: sha256(
      Buffer.from(
        `policy.wasm ${files['policy.wasm'].sha256}\ndata.json ${files['data.json'].sha256}\n`,
      ),
    ),
    files,
    sources_digest: sha256(
      Buffer.from(
        Object.entries(sources)
          .map(([path, digest]) => `${path} ${digest}\n`)
          .join(''),
      ),
    ),
    sources,
  };
  writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  console.log(
    `  ${ENTRYPOINTS.length} entrypoints, ABI ${module.abiVersion}, digest ${manifest.digest}`,
  );
}

/** Reads the entrypoint table, required host builtins and ABI version straight from the module. */
function inspectWasm(bytes) {
  const module = new WebAssembly.Module(bytes);
  const memory = new WebAssembly.Memory({ initial: 2 });
  const imports = {
    env: {
      memory,
      opa_abort: () => {
        throw new Error('opa_abort during inspection');
      },
      opa_println: () => {},
      opa_builtin0: () => 0,
      opa_builtin1: () => 0,
      opa_builtin2: () => 0,
      opa_builtin3: () => 0,
      opa_builtin4: () => 0,
    },
  };
  const instance = new WebAssembly.Instance(module, imports);
  const e = instance.exports;
  const dump = (addr) => {
    const str = e.opa_json_dump(addr);
    const view = new Uint8Array(memory.buffer, str);
    const end = view.indexOf(0);
    return JSON.parse(Buffer.from(view.subarray(0, end)).toString('utf8'));
  };
  const major = e.opa_wasm_abi_version?.value;
  const minor = e.opa_wasm_abi_minor_version?.value;
  return {
    abiVersion: `${major}.${minor}`,
    builtins: dump(e.builtins()),
    entrypoints: dump(e.entrypoints()),
  };
}

function writeGolden(opa, file) {
  const cases = goldenCases();
  const scratch = mkdtempSync(join(tmpdir(), 'consentgate-golden-'));
  const expected = new Map();
  // One `opa eval` (the Go evaluator) per entrypoint answers all of its cases; the Node and browser
  // golden tests then demand the same answers from policy.wasm.
  for (const entrypoint of ENTRYPOINTS) {
    const mine = cases.filter((c) => c.entrypoint === entrypoint);
    const inputFile = join(scratch, 'input.json');
    writeFileSync(inputFile, JSON.stringify({ cases: mine.map((c) => c.input) }));
    const ref = `data.${entrypoint.split('/').join('.')}`;
    const query = `results := [r | some c in input.cases; r := ${ref} with input as c]`;
    const out = execFileSync(
      opa,
      ['eval', '--format', 'json', '--ignore', '*_test.rego', '-d', SRC, '-i', inputFile, query],
      { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
    );
    const results = JSON.parse(out).result?.[0]?.bindings?.results;
    if (!Array.isArray(results) || results.length !== mine.length) {
      fail(
        `opa eval returned ${results?.length ?? 'no'} results for ${mine.length} ${entrypoint} cases`,
      );
    }
    mine.forEach((c, i) => expected.set(c, results[i]));
  }
  rmSync(scratch, { recursive: true, force: true });
  const golden = cases.map((c) => ({
    entrypoint: c.entrypoint,
    input: c.input,
    expected: expected.get(c),
  }));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, canonicalJson(golden) + '\n');
  console.log(`  ${golden.length} golden cases`);
}

function printSizes(dir) {
  const wasm = readFileSync(join(dir, 'policy.wasm'));
  const data = readFileSync(join(dir, 'data.json'));
  const row = (name, bytes) => {
    const gzip = gzipSync(bytes, { level: 9 }).length;
    const brotli = brotliCompressSync(bytes, {
      params: { [zlib.BROTLI_PARAM_QUALITY]: 11 },
    }).length;
    return `  ${name.padEnd(12)} raw ${String(bytes.length).padStart(7)} B   gzip ${String(gzip).padStart(6)} B   brotli ${String(brotli).padStart(6)} B`;
  };
  console.log('policy bundle sizes:');
  console.log(row('policy.wasm', wasm));
  console.log(row('data.json', data));
}

// ---- helpers ----

function step(title, fn) {
  console.log(`▶ ${title}`);
  fn();
}

function run(cmd, argv, cwd = ROOT) {
  const result = spawnSync(cmd, argv, { stdio: 'inherit', cwd });
  if (result.error) fail(`${cmd}: ${result.error.message}`);
  if (result.status !== 0) fail(`${[cmd.split(sep).pop(), ...argv.slice(0, 2)].join(' ')} failed`);
}

function fail(message) {
  console.error(`✖ ${message}`);
  process.exit(1);
}

function sha256(bytes) {
  return createHash('sha256').update(bytes).digest('hex');
}

function sameFile(a, b) {
  return existsSync(a) && existsSync(b) && readFileSync(a).equals(readFileSync(b));
}

function listFiles(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? listFiles(path) : [path];
    });
}

/** JSON with object keys sorted, so bytes depend only on content. */
function canonicalJson(value) {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, v[k]]),
        )
      : v,
  );
}
