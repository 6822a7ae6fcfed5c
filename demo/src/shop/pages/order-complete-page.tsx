import { readLastOrder } from '../cart.js';
import { formatPrice } from '../products.js';
import { useShop } from '../shop-context.js';

/** The confirmation page, with where to see what the order left behind. */
export function OrderCompletePage() {
  const { t, prefs } = useShop();
  const order = readLastOrder();
  if (!order) {
    return (
      <div class="panel">
        <p>{t.noOrder}</p>
        <a class="button" href="/">
          {t.continueShopping}
        </a>
      </div>
    );
  }
  return (
    <div class="panel thanks">
      <p class="thanks-mark" aria-hidden="true">
        ✓
      </p>
      <h1>{t.thanksTitle}</h1>
      <dl class="facts">
        <dt>{t.orderNumber}</dt>
        <dd data-testid="order-id">{order.id}</dd>
        <dt>{t.orderTotal}</dt>
        <dd>{formatPrice(order.total, prefs.locale)}</dd>
      </dl>
      <p>{t.thanksLead}</p>
      <p class="muted">{t.thanksPrivacy}</p>
      <p class="actions">
        <a class="button" href="/account">
          {t.toAccount}
        </a>
        <a class="button button-quiet" href="/">
          {t.continueShopping}
        </a>
      </p>
    </div>
  );
}
