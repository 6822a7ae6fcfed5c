/** Elements a keyboard user can reach inside a dialog, in DOM order. */
const FOCUSABLE = 'a[href],button:not([disabled]),input:not([disabled])';

/**
 * Keeps Tab and Shift+Tab inside the modal `dialog` (the handler's `currentTarget`), wrapping from
 * the last focusable element to the first and back, and returns nothing. `root` is the shadow
 * root the dialog renders in, whose `activeElement` is the focused element inside it.
 */
export function trapFocus(event: KeyboardEvent, root: ShadowRoot): void {
  if (event.key !== 'Tab') return;
  const dialog = event.currentTarget as HTMLElement;
  const focusable = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)];
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  const active = root.activeElement;
  if (!first || !last) {
    event.preventDefault();
  } else if (event.shiftKey ? active === first || active === dialog : active === last) {
    event.preventDefault();
    (event.shiftKey ? last : first).focus();
  }
}
