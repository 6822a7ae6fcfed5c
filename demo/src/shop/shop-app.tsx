import { useMemo, useState } from 'preact/hooks';

import { readCart } from './cart.js';
import type { CartLine } from './cart.js';
import { OutboundPanel } from './components/outbound-panel.js';
import { SiteHeader } from './components/site-header.js';
import { AccountPage } from './pages/account-page.js';
import { CartPage } from './pages/cart-page.js';
import { CatalogPage } from './pages/catalog-page.js';
import { CheckoutPage } from './pages/checkout-page.js';
import { OrderCompletePage } from './pages/order-complete-page.js';
import { ProductPage } from './pages/product-page.js';
import type { Route } from './routes.js';
import { ShopContext, useShop } from './shop-context.js';
import type { Shop } from './shop-context.js';

const PANEL_KEY = 'demo:panel-open';

/** Props of {@link ShopApp}. */
export interface ShopAppProps {
  readonly shop: Omit<Shop, 'cart' | 'setCart'>;
  readonly route: Route;
}

/** The storefront's frame around the page of `route`. */
export function ShopApp({ shop, route }: ShopAppProps) {
  const [cart, setCart] = useState<readonly CartLine[]>(readCart);
  const [panelOpen, setPanelOpen] = useState(() => readFlag(PANEL_KEY));
  const value = useMemo<Shop>(() => ({ ...shop, cart, setCart }), [shop, cart]);
  const { t } = shop;
  const togglePanel = () => {
    writeFlag(PANEL_KEY, !panelOpen);
    setPanelOpen(!panelOpen);
  };
  return (
    <ShopContext.Provider value={value}>
      <SiteHeader panelOpen={panelOpen} onTogglePanel={togglePanel} />
      <div class={panelOpen ? 'layout layout-with-panel' : 'layout'}>
        <main class="wrap page" id="main">
          <Page route={route} />
        </main>
        <OutboundPanel open={panelOpen} onClose={togglePanel} />
      </div>
      <footer class="site-footer">
        <div class="wrap footer-row">
          <span>{t.footerNote}</span>
          <a href="/playground">{t.footerPlayground}</a>
        </div>
      </footer>
    </ShopContext.Provider>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'catalog':
      return <CatalogPage category={route.category} />;
    case 'product':
      return <ProductPage product={route.product} />;
    case 'cart':
      return <CartPage />;
    case 'checkout':
      return <CheckoutPage />;
    case 'order-complete':
      return <OrderCompletePage />;
    case 'account':
      return <AccountPage />;
    case 'not-found':
      return <NotFound />;
  }
}

function NotFound() {
  const { t } = useShop();
  return (
    <div class="panel">
      <p>{t.pageNotFound}</p>
      <a class="button" href="/">
        {t.continueShopping}
      </a>
    </div>
  );
}

function readFlag(key: string): boolean {
  try {
    return sessionStorage.getItem(key) === '1';
  } catch {
    return false;
  }
}

function writeFlag(key: string, on: boolean): void {
  try {
    sessionStorage.setItem(key, on ? '1' : '0');
  } catch {
    // Storage blocked: the panel state lasts for this page only.
  }
}
