import type { StoredItem } from './consent-storage.js';
import { format } from './messages.js';
import { MAX_LISTED, newestFirst, purposeTitle } from './privacy-labels.js';
import type { ViewProps } from './view-props.js';

/** Props of {@link StoredSection}. */
export interface StoredSectionProps extends ViewProps {
  /** The items stored on this device (read successfully). */
  readonly items: readonly StoredItem[];
  /** Writes a time as the privacy centre shows it. */
  readonly when: (ms: number) => string;
}

/**
 * Renders the privacy centre's first list: per purpose of the notice (and any other purpose
 * something is stored for) whether it is on, a one-click withdrawal when it is, and what is stored
 * for it until when.
 */
export function StoredSection(props: StoredSectionProps) {
  const { notice, m, locale, actions, consent, items, when } = props;
  const purposeIds = [
    ...new Set([
      ...notice.purposes.map((purpose) => purpose.id),
      ...items.map((item) => item.purpose),
    ]),
  ];
  return (
    <>
      {purposeIds.map((id) => {
        const purpose = notice.purposes.find((candidate) => candidate.id === id);
        const title = purposeTitle(notice, id, locale);
        const own = newestFirst(
          items.filter((item) => item.purpose === id),
          (item) => item.expiresAt,
        );
        const granted = consent?.purposes[id] === true;
        return (
          <div key={id} class="cg-purpose">
            <div class="cg-row">
              <h4>{title}</h4>
              <span>
                <span class="cg-badge">
                  {purpose?.required ? m.alwaysOn : granted ? m.on : m.off}
                </span>
                {granted && !purpose?.required && (
                  <button
                    type="button"
                    class="cg-btn2"
                    aria-label={format(m.withdrawFor, { purpose: title })}
                    onClick={(event) => actions.withdraw(id, event)}
                  >
                    {m.withdraw}
                  </button>
                )}
              </span>
            </div>
            {own.length === 0 ? (
              <p class="cg-note">{m.storedEmpty}</p>
            ) : (
              <ul class="cg-list">
                {own.slice(0, MAX_LISTED).map((item, index) => (
                  <li key={index}>
                    {item.name}
                    <small class="cg-block">
                      {format(m.until, { date: when(item.expiresAt) })}
                    </small>
                  </li>
                ))}
              </ul>
            )}
            {own.length > MAX_LISTED && (
              <p class="cg-note">{format(m.more, { n: own.length - MAX_LISTED })}</p>
            )}
          </div>
        );
      })}
    </>
  );
}
