import { findCategory, formatPrice } from '../products.js';
import type { Product } from '../products.js';
import { useShop } from '../shop-context.js';
import { ProductArt } from './product-art.js';

/** A product in a grid: picture, name, category and price, linking to its page. */
export function ProductCard({ product, compact = false }: { product: Product; compact?: boolean }) {
  const { t, prefs } = useShop();
  const locale = prefs.locale;
  return (
    <article class={compact ? 'card card-compact' : 'card'} data-sku={product.sku}>
      <a class="card-link" href={`/product/${product.sku}`}>
        <ProductArt product={product} size={compact ? 'sm' : 'md'} />
        <span class="card-body">
          <span class="card-category">{findCategory(product.category)?.name[locale]}</span>
          <span class="card-name">{product.name[locale]}</span>
          <span class="card-price">
            {formatPrice(product.price, locale)}
            <small>{t.taxIncluded}</small>
          </span>
        </span>
      </a>
    </article>
  );
}
