// The browser tests' side of screenshots-root.ts: no Node APIs, the folder comes from the config.
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** See `screenshotsRoot` in screenshots-root.ts; provided by vitest.config.ts. */
    screenshotsRoot: string;
  }
}

/**
 * Returns the absolute path a browser test writes the screenshot committed at `committed` (a path
 * from the repository root, such as `packages/widget/docs/screenshots/banner-eu.en.png`) to: that
 * file under `npm run screenshots`, else its copy under the ignored test-results/screenshots/.
 */
export function screenshotPath(committed: string): string {
  return `${inject('screenshotsRoot')}${committed}`;
}
