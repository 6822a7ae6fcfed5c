/** Returns the deepest focused element of `doc`, through open shadow roots, if any. */
export function focusedElement(doc: Document): HTMLElement | undefined {
  let active = doc.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  // Any focused element has focus(); the cast avoids instanceof, which fails across frames.
  return (active ?? undefined) as HTMLElement | undefined;
}

/**
 * Gives focus back to `target` (what {@link focusedElement} returned when a dialog opened) and
 * returns nothing. Does nothing when it left the page, or when it was the body: focusing the body
 * would only scroll.
 */
export function restoreFocus(target: HTMLElement | undefined): void {
  if (target?.isConnected && target !== target.ownerDocument.body) target.focus();
}
