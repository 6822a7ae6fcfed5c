import { useRef, useState } from 'preact/hooks';

import { completeOrder, totals } from '../cart.js';
import { format } from '../messages.js';
import { formatPrice } from '../products.js';
import { useShop } from '../shop-context.js';

/** Longest a checkout waits for the tracker before moving on; a slow policy must not block it. */
const TRACK_WAIT_MS = 1500;

const FIELDS = [
  { name: 'name', autocomplete: 'name', type: 'text', required: true },
  { name: 'email', autocomplete: 'email', type: 'email', required: true },
  { name: 'phone', autocomplete: 'tel', type: 'tel', required: true },
  { name: 'postalCode', autocomplete: 'postal-code', type: 'text', required: true },
  { name: 'address', autocomplete: 'street-address', type: 'text', required: true },
] as const;

/**
 * The checkout form. On "Place order" it tracks `Checkout Started` with everything the visitor
 * typed and `Order Completed`: the policy, not this page, decides what of it is kept and where it
 * may go (name, phone and note never; the address as a prefecture; 3 postal digits; a hashed email).
 */
export function CheckoutPage() {
  const { cg, t, prefs, cart, navigate } = useShop();
  const form = useRef<HTMLFormElement>(null);
  const [placing, setPlacing] = useState(false);
  const locale = prefs.locale;
  const { total, itemCount } = totals(cart);

  const fillSample = () => {
    const element = form.current;
    if (!element) return;
    for (const [key, value] of Object.entries(t.sample)) {
      const input = element.elements.namedItem(key);
      if (input instanceof HTMLInputElement || input instanceof HTMLTextAreaElement) {
        input.value = value;
      }
    }
  };

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (placing || cart.length === 0) return;
    setPlacing(true);
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const value = (key: string) => {
      const entry = data.get(key);
      return typeof entry === 'string' ? entry.trim() : '';
    };
    const orderId = `SG-${Date.now().toString(36).toUpperCase()}`;
    const note = value('note');
    const tracked = Promise.all([
      cg.track('Checkout Started', {
        value: total,
        currency: 'JPY',
        item_count: itemCount,
        name: value('name'),
        email: value('email'),
        phone: value('phone'),
        address: value('address'),
        postal_code: value('postalCode'),
        ...(note ? { note } : {}),
      }),
      cg.track('Order Completed', {
        order_id: orderId,
        revenue: total,
        currency: 'JPY',
        item_count: itemCount,
        email: value('email'),
        postal_code: value('postalCode'),
      }),
    ]);
    await Promise.race([tracked, new Promise((resolve) => setTimeout(resolve, TRACK_WAIT_MS))]);
    completeOrder({ id: orderId, total, itemCount });
    navigate('/order-complete');
  };

  if (cart.length === 0) {
    return (
      <>
        <h1>{t.checkoutTitle}</h1>
        <div class="panel">
          <p>{t.cartEmpty}</p>
          <a class="button" href="/">
            {t.continueShopping}
          </a>
        </div>
      </>
    );
  }

  return (
    <>
      <h1>{t.checkoutTitle}</h1>
      <div class="columns">
        <form ref={form} class="panel form" onSubmit={(event) => void submit(event)}>
          <div class="form-head">
            <h2>{t.shippingTitle}</h2>
            <button type="button" class="button button-quiet" onClick={fillSample}>
              {t.fillSample}
            </button>
          </div>
          {FIELDS.map((field) => (
            <label key={field.name} class="field">
              <span>
                {t[field.name]} <small class="muted">{t.required}</small>
              </span>
              <input
                name={field.name}
                type={field.type}
                autocomplete={field.autocomplete}
                required={field.required}
              />
            </label>
          ))}
          <label class="field">
            <span>{t.note}</span>
            <textarea name="note" rows={2} />
          </label>
          <button type="submit" class="button button-wide" disabled={placing}>
            {placing ? t.placing : t.placeOrder}
          </button>
          <p class="muted">{t.noPayment}</p>
        </form>
        <aside class="summary-column">
          <div class="panel summary">
            <h2>{t.orderSummary}</h2>
            <ul class="summary-lines">
              {cart.map(({ product, quantity }) => (
                <li key={product.sku}>
                  <span>
                    {product.name[locale]} × {quantity}
                  </span>
                  <span>{formatPrice(product.price * quantity, locale)}</span>
                </li>
              ))}
            </ul>
            <p class="summary-row">
              <span>{format(itemCount === 1 ? t.item : t.items, { n: itemCount })}</span>
              <span>
                {t.total} <strong>{formatPrice(total, locale)}</strong>
              </span>
            </p>
          </div>
          <div class="panel privacy-note">
            <h2>{t.checkoutPrivacyTitle}</h2>
            <p>{t.checkoutPrivacy}</p>
          </div>
        </aside>
      </div>
    </>
  );
}
