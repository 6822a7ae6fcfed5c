import { useEffect, useState } from 'preact/hooks';

import { addToCart } from '../cart.js';
import { PersonalPicks } from '../components/personal-picks.js';
import { ProductArt } from '../components/product-art.js';
import { findCategory, formatPrice } from '../products.js';
import type { Product } from '../products.js';
import { useShop } from '../shop-context.js';

/** One product: its details, "Add to cart", and the visitor's local picks. */
export function ProductPage({ product }: { product: Product }) {
  const { cg, t, prefs, setCart } = useShop();
  const [quantity, setQuantity] = useState(1);
  const [added, setAdded] = useState(false);
  const locale = prefs.locale;

  useEffect(() => {
    void cg.track('Product Viewed', {
      sku: product.sku,
      name: product.name.en,
      category: product.category,
      price: product.price,
      currency: 'JPY',
    });
  }, [cg, product]);

  const add = () => {
    setCart(addToCart(product.sku, quantity));
    setAdded(true);
    void cg.track('Product Added', {
      sku: product.sku,
      quantity,
      price: product.price,
      currency: 'JPY',
    });
  };

  return (
    <>
      <p class="crumbs">
        <a href="/">{t.backToShop}</a>
      </p>
      <article class="product">
        <ProductArt product={product} size="lg" />
        <div class="product-info">
          <p class="card-category">{findCategory(product.category)?.name[locale]}</p>
          <h1>{product.name[locale]}</h1>
          <p class="price">
            {formatPrice(product.price, locale)}
            <small>{t.taxIncluded}</small>
          </p>
          <p>{product.description[locale]}</p>
          <div class="buy">
            <label>
              <span>{t.quantity}</span>
              <select
                value={quantity}
                onChange={(event) => setQuantity(Number(event.currentTarget.value))}
              >
                {[1, 2, 3, 4, 5].map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" class="button" onClick={add}>
              {t.addToCart}
            </button>
          </div>
          {added && (
            <p class="toast" role="status">
              {t.added} <a href="/cart">{t.viewCart}</a>
            </p>
          )}
          <p class="muted">{t.shippingNote}</p>
        </div>
      </article>
      <PersonalPicks current={product.sku} />
    </>
  );
}
