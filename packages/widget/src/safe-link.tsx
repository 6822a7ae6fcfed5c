import type { ComponentChildren } from 'preact';

import { safeHttpUrl } from './safe-url.js';

/** Props of {@link SafeLink}. */
export interface SafeLinkProps {
  /** An untrusted URL from the catalog. */
  readonly href: unknown;
  readonly children: ComponentChildren;
}

/**
 * Renders an `http(s)` link that opens in a new tab without access to this page, and nothing at
 * all for any other URL (`javascript:`, `data:`, relative, malformed).
 */
export function SafeLink({ href, children }: SafeLinkProps) {
  const url = safeHttpUrl(href);
  return url ? (
    <a href={url} target="_blank" rel="noopener noreferrer">
      {children}
    </a>
  ) : null;
}
