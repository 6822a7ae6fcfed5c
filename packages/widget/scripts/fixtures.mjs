// Regenerates src/fixtures/*.json: the notices the committed storefront policy gives for each
// jurisdiction the widget renders differently, evaluated by the pinned OPA (not by hand).
// Run from anywhere: `npm run fixtures -w @consentgate/widget`. test/integration/widget-notice.test.ts
// fails when these drift from the compiled bundle in policies/dist.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const out = fileURLToPath(new URL('../src/fixtures/', import.meta.url));
const opa = process.env.CONSENTGATE_OPA ?? `${root}tools/bin/opa`;

/** Fixture name → policy input. */
const INPUTS = {
  eu: { jurisdiction: 'EU' },
  'us-ca': { jurisdiction: 'US-CA' },
  'us-ca-gpc': { jurisdiction: 'US-CA', signals: { gpc: true } },
  jp: { jurisdiction: 'JP' },
};

for (const [name, input] of Object.entries(INPUTS)) {
  const stdout = execFileSync(
    opa,
    [
      'eval',
      '-d',
      `${root}policies/src`,
      '-f',
      'json',
      '--stdin-input',
      'data.consentgate.notice.decision',
    ],
    { input: JSON.stringify(input), encoding: 'utf8' },
  );
  const notice = JSON.parse(stdout).result[0].expressions[0].value;
  writeFileSync(`${out}${name}.json`, `${JSON.stringify(notice, null, 2)}\n`);
  console.log(`${name}.json: ${notice.mode}, gpc applied ${notice.gpc.applied}`);
}

const manifest = JSON.parse(readFileSync(`${root}policies/dist/manifest.json`, 'utf8'));
writeFileSync(
  `${out}policy.json`,
  `${JSON.stringify({ digest: manifest.digest, inputs: INPUTS }, null, 2)}\n`,
);
console.log(`policy.json: digest ${manifest.digest}`);
