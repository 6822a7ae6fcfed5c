import { setQuantity, totals } from '../cart.js';
import { ProductArt } from '../components/product-art.js';
import { format } from '../messages.js';
import { formatPrice } from '../products.js';
import { useShop } from '../shop-context.js';

/** The cart: lines with quantities, the total, and the way to checkout. */
export function CartPage() {
  const { t, prefs, cart, setCart } = useShop();
  const locale = prefs.locale;
  const { total, itemCount } = totals(cart);
  return (
    <>
      <h1>{t.cartTitle}</h1>
      {cart.length === 0 ? (
        <div class="panel">
          <p>{t.cartEmpty}</p>
          <a class="button" href="/">
            {t.continueShopping}
          </a>
        </div>
      ) : (
        <div class="columns">
          <ul class="lines" data-testid="cart-lines">
            {cart.map(({ product, quantity }) => (
              <li key={product.sku} class="line">
                <ProductArt product={product} size="sm" />
                <div class="line-body">
                  <a href={`/product/${product.sku}`}>{product.name[locale]}</a>
                  <span class="muted">{formatPrice(product.price, locale)}</span>
                </div>
                <label class="line-qty">
                  <span class="sr-only">{t.quantity}</span>
                  <select
                    value={quantity}
                    onChange={(event) =>
                      setCart(setQuantity(product.sku, Number(event.currentTarget.value)))
                    }
                  >
                    {Array.from({ length: Math.max(5, quantity) }, (_, i) => i + 1).map((n) => (
                      <option key={n} value={n}>
                        {n}
                      </option>
                    ))}
                  </select>
                </label>
                <button
                  type="button"
                  class="link-button"
                  onClick={() => setCart(setQuantity(product.sku, 0))}
                >
                  {t.remove}
                </button>
              </li>
            ))}
          </ul>
          <aside class="panel summary">
            <p class="summary-row">
              <span>{format(itemCount === 1 ? t.item : t.items, { n: itemCount })}</span>
              <span>
                {t.total} <strong>{formatPrice(total, locale)}</strong>
              </span>
            </p>
            <a class="button button-wide" href="/checkout">
              {t.toCheckout}
            </a>
            <a class="link-quiet" href="/">
              {t.continueShopping}
            </a>
          </aside>
        </div>
      )}
    </>
  );
}
