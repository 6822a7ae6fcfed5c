/** Props of {@link ReopenButton}. */
export interface ReopenButtonProps {
  /** Accessible name, from `messages.reopen`. */
  readonly label: string;
  readonly lang: string;
  readonly onOpen: () => void;
}

/**
 * Renders the persistent floating button that reopens the preferences: a native button, so it
 * is in the tab order and works with Enter and Space; named by `aria-label`, its icon hidden.
 */
export function ReopenButton({ label, lang, onOpen }: ReopenButtonProps) {
  return (
    <button
      type="button"
      class="cg-reopen"
      aria-label={label}
      title={label}
      lang={lang}
      onClick={onOpen}
    >
      <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path d="M12 2 4 5v6c0 5.2 3.4 9.8 8 11 4.6-1.2 8-5.8 8-11V5zm-1.2 14.2-3.5-3.5 1.4-1.4 2.1 2.1 4.6-4.6 1.4 1.4z" />
      </svg>
    </button>
  );
}
