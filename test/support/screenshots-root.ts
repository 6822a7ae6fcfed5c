// Where tests write their screenshots. By default into test-results/screenshots/, which git
// ignores, so a test run leaves the checkout clean; `npm run screenshots` sets
// CONSENTGATE_SCREENSHOTS=commit, and the same tests then refresh the committed PNGs that the
// READMEs show. Read in Node: by vitest.config.ts (handed to browser tests as `screenshotsRoot`,
// see screenshot-path.ts) and by the Playwright e2e tests.

/** The environment variable `npm run screenshots` sets to `commit`. */
export const SCREENSHOTS_ENV = 'CONSENTGATE_SCREENSHOTS';

/** The ignored folder screenshots go to otherwise, relative to the repository root. */
export const SCRATCH_SCREENSHOTS = 'test-results/screenshots/';

/**
 * Returns the folder (ending in `/`) under which a screenshot committed at `<repo>/<path>` is
 * written as `<folder><path>`: the repository root `root` itself when `env` asks to refresh the
 * committed screenshots, else the ignored scratch folder inside it.
 *
 * @param root - The repository root, ending in `/`.
 */
export function screenshotsRoot(
  root: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  return env[SCREENSHOTS_ENV] === 'commit' ? root : `${root}${SCRATCH_SCREENSHOTS}`;
}
