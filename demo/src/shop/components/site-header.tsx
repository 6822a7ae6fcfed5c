import { totals } from '../cart.js';
import { format } from '../messages.js';
import { changePrefs, JURISDICTIONS } from '../prefs.js';
import type { Jurisdiction } from '../prefs.js';
import { useActivity, useShop } from '../shop-context.js';

/** Props of {@link SiteHeader}. */
export interface SiteHeaderProps {
  readonly panelOpen: boolean;
  readonly onTogglePanel: () => void;
}

/** The demo ribbon (region and language), the brand, the navigation and the panel toggle. */
export function SiteHeader({ panelOpen, onTogglePanel }: SiteHeaderProps) {
  const { t, prefs, cart, activity } = useShop();
  const { outbound } = useActivity(activity);
  const { itemCount } = totals(cart);
  const here = location.pathname;
  return (
    <header class="site-header">
      <div class="ribbon">
        <div class="wrap ribbon-row">
          <p class="ribbon-note">{t.ribbon}</p>
          <div class="ribbon-controls">
            <label class="region" title={t.regionHint}>
              <span>{t.region}</span>
              <select
                data-testid="region"
                value={prefs.jurisdiction}
                onChange={(event) =>
                  changePrefs({ jurisdiction: event.currentTarget.value as Jurisdiction })
                }
              >
                {JURISDICTIONS.map((j) => (
                  <option key={j} value={j}>
                    {t.regions[j]}
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              class="lang"
              lang={prefs.locale === 'ja' ? 'en' : 'ja'}
              aria-label={t.switchLanguageLabel}
              onClick={() => changePrefs({ locale: prefs.locale === 'ja' ? 'en' : 'ja' })}
            >
              {t.switchLanguage}
            </button>
          </div>
        </div>
      </div>
      <div class="wrap masthead">
        <a class="brand" href="/">
          <span class="brand-mark" aria-hidden="true">
            桜
          </span>
          <span>
            <span class="brand-name">{t.brand}</span>
            <span class="brand-tagline">{t.tagline}</span>
          </span>
        </a>
        <nav class="nav" aria-label={t.navShop}>
          <a href="/" aria-current={here === '/' ? 'page' : undefined}>
            {t.navShop}
          </a>
          <a href="/account" aria-current={here === '/account' ? 'page' : undefined}>
            {t.navAccount}
          </a>
          <a
            href="/cart"
            data-testid="cart-link"
            aria-current={here === '/cart' ? 'page' : undefined}
          >
            {format(t.cartCount, { n: itemCount })}
          </a>
          <button
            type="button"
            class="outbound-toggle"
            aria-expanded={panelOpen}
            aria-controls="outbound-panel"
            onClick={onTogglePanel}
          >
            <span>{t.outboundToggle}</span>
            <span class="count" data-testid="outbound-count">
              {outbound.length}
            </span>
          </button>
        </nav>
      </div>
    </header>
  );
}
