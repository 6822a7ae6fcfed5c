import type { Messages } from './messages.js';
import { findCategory, findProduct } from './products.js';
import type { Product } from './products.js';
import type { Locale } from './prefs.js';

/** The storefront's pages; each is a real URL and a full page load. */
export type Route =
  | { readonly page: 'catalog'; readonly category: string | undefined }
  | { readonly page: 'product'; readonly product: Product }
  | { readonly page: 'cart' }
  | { readonly page: 'checkout' }
  | { readonly page: 'order-complete' }
  | { readonly page: 'account' }
  | { readonly page: 'not-found' };

/** The page for a URL. */
export function matchRoute(url: URL): Route {
  const path = url.pathname.replace(/\/+$/, '') || '/';
  if (path === '/') {
    const category = url.searchParams.get('category');
    return { page: 'catalog', category: category && findCategory(category) ? category : undefined };
  }
  const sku = /^\/product\/([\w-]+)$/.exec(path)?.[1];
  if (sku) {
    const product = findProduct(sku);
    return product ? { page: 'product', product } : { page: 'not-found' };
  }
  switch (path) {
    case '/cart':
      return { page: 'cart' };
    case '/checkout':
      return { page: 'checkout' };
    case '/order-complete':
      return { page: 'order-complete' };
    case '/account':
      return { page: 'account' };
    default:
      return { page: 'not-found' };
  }
}

/** The document title of a page. */
export function routeTitle(route: Route, t: Messages, locale: Locale): string {
  const page = (() => {
    switch (route.page) {
      case 'catalog':
        return route.category ? findCategory(route.category)?.name[locale] : undefined;
      case 'product':
        return route.product.name[locale];
      case 'cart':
        return t.cartTitle;
      case 'checkout':
        return t.checkoutTitle;
      case 'order-complete':
        return t.thanksTitle;
      case 'account':
        return t.accountTitle;
      case 'not-found':
        return t.pageNotFound;
    }
  })();
  return page ? `${page} | ${t.brand}` : `${t.brand} — ${t.tagline}`;
}
