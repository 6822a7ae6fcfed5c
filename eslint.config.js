// @ts-check
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Configs and tooling: linted without type information (some sit outside tsconfig.json). */
const UNTYPED = ['**/*.config.ts', 'tsup.base.ts', 'scripts/**', 'policies/**'];

/** Test files, wherever they live. */
const TESTS = ['**/*.test.ts', '**/*.test.tsx', '**/*.test-d.ts'];

/** Every workspace package a module could import, by its folder under `packages/`. */
const PACKAGES = ['core', 'policy', 'store', 'sdk', 'widget', 'consentgate'];

const OPA = {
  group: ['@open-policy-agent/*'],
  message: 'Only @consentgate/policy may import OPA (STYLE §1).',
};

/**
 * The dependency arrows of STYLE §1 for one package: its sources may import only the listed
 * workspace packages, and only `policy` may import OPA (its tests may, to build fixtures).
 *
 * @param {string} name - The package folder under `packages/`.
 * @param {string[]} allowed - Folders of the workspace packages it may import.
 * @returns {import('eslint').Linter.Config[]}
 */
function arrows(name, allowed) {
  const forbidden = [...PACKAGES.filter((pkg) => !allowed.includes(pkg)), 'demo'].map(
    (pkg) => `@consentgate/${pkg}`,
  );
  const workspace = [
    {
      group: [...forbidden, ...forbidden.map((pkg) => `${pkg}/*`)],
      message: `@consentgate/${name} may import only ${
        allowed.map((pkg) => `@consentgate/${pkg}`).join(', ') || 'no workspace package'
      } (STYLE §1).`,
    },
    {
      group: ['**/packages/*', '../../*/src', '../../*/src/*'],
      message: 'Import workspace packages by name, not by path.',
    },
  ];
  return [
    {
      files: [`packages/${name}/src/**/*.{ts,tsx}`],
      rules: {
        'no-restricted-imports': [
          'error',
          { patterns: name === 'policy' ? workspace : [...workspace, OPA] },
        ],
      },
    },
    {
      files: TESTS.map((test) => `packages/${name}/src/${test}`),
      rules: { 'no-restricted-imports': ['error', { patterns: workspace }] },
    },
  ];
}

export default defineConfig(
  {
    ignores: [
      '**/dist/**',
      'coverage/**',
      '**/node_modules/**',
      'tools/**',
      '**/*.d.ts',
      'test-results/**',
      'bench/out/**',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { ...globals.browser, ...globals.node },
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // An unhandled rejection on a host page is a bug we shipped (STYLE §8).
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: [...UNTYPED, '**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    // Named exports only (STYLE §3); tool configs that need a default export live outside src/.
    files: ['packages/*/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use a named export (STYLE §3).' },
        {
          selector: 'ExportSpecifier[exported.name="default"]',
          message: 'Use a named export (STYLE §3).',
        },
      ],
    },
  },
  {
    // Files and functions a reader can hold in their head; split by concept, not by line count.
    files: ['packages/*/src/**/*.{ts,tsx}'],
    ignores: [...TESTS, '**/*.browser.test.ts', '**/fixtures/**', '**/testing.ts'],
    rules: {
      'max-lines': ['error', { max: 450, skipBlankLines: false, skipComments: false }],
      'max-lines-per-function': [
        'error',
        { max: 150, skipBlankLines: false, skipComments: false, IIFEs: true },
      ],
    },
  },
  arrows('core', []),
  arrows('store', ['core']),
  arrows('policy', ['core']),
  arrows('widget', ['core', 'store']),
  arrows('sdk', ['core', 'policy', 'store']),
  arrows('consentgate', ['core', 'policy', 'store', 'sdk', 'widget']),
  {
    // Outside the packages, only tests, scripts, bench and the demo may load OPA directly.
    files: ['**/*.{ts,tsx,js,mjs}'],
    ignores: [
      'packages/**',
      'test/**',
      'scripts/**',
      'bench/**',
      'demo/**',
      'policies/**',
      ...TESTS,
    ],
    rules: { 'no-restricted-imports': ['error', { patterns: [OPA] }] },
  },
);
