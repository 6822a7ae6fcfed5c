import type { Notice } from '@consentgate/core';

import type { Messages } from './messages.js';
import { SafeLink } from './safe-link.js';
import { safeMailto } from './safe-url.js';

/** Props of {@link ContactLine}. */
export interface ContactLineProps {
  readonly notice: Notice;
  readonly m: Messages;
}

/**
 * Renders the controller's privacy contact from the catalog: the e-mail address as a `mailto:`
 * link when it is a plain address (as text otherwise) and the privacy page when it is http(s).
 */
export function ContactLine({ notice, m }: ContactLineProps) {
  const { email, url } = notice.controller.contact;
  const mailto = safeMailto(email);
  return (
    <p class="cg-links">
      {typeof email === 'string' && email && <span>{m.contact}</span>}
      {mailto ? <a href={mailto}>{email}</a> : typeof email === 'string' && <span>{email}</span>}
      <SafeLink href={url}>{m.privacyPolicy}</SafeLink>
    </p>
  );
}
