// The cart and the last order's summary: what the shop needs to work (strictly necessary), kept in
// sessionStorage for this tab only. Nothing here identifies the visitor: SKUs, quantities, totals.
import { findProduct } from './products.js';
import type { Product } from './products.js';

const CART_KEY = 'demo:cart';
const ORDER_KEY = 'demo:last-order';

/** One cart line. */
export interface CartLine {
  readonly product: Product;
  readonly quantity: number;
}

/** The last order placed in this tab, for the confirmation page. */
export interface OrderSummary {
  readonly id: string;
  readonly total: number;
  readonly itemCount: number;
}

/** The cart's lines, in the order they were added. */
export function readCart(): CartLine[] {
  const raw = readJson<Record<string, number>>(CART_KEY) ?? {};
  const lines: CartLine[] = [];
  for (const [sku, quantity] of Object.entries(raw)) {
    const product = findProduct(sku);
    if (product && Number.isInteger(quantity) && quantity > 0) lines.push({ product, quantity });
  }
  return lines;
}

/** Adds `quantity` of a product and returns the new cart. */
export function addToCart(sku: string, quantity = 1): CartLine[] {
  const raw = readJson<Record<string, number>>(CART_KEY) ?? {};
  raw[sku] = Math.min(99, (raw[sku] ?? 0) + quantity);
  writeJson(CART_KEY, raw);
  return readCart();
}

/** Sets a line's quantity (0 removes it) and returns the new cart. */
export function setQuantity(sku: string, quantity: number): CartLine[] {
  const raw = readJson<Record<string, number>>(CART_KEY) ?? {};
  if (quantity > 0) raw[sku] = Math.min(99, quantity);
  else delete raw[sku];
  writeJson(CART_KEY, raw);
  return readCart();
}

/** Totals of a cart. */
export function totals(lines: readonly CartLine[]): { total: number; itemCount: number } {
  let total = 0;
  let itemCount = 0;
  for (const line of lines) {
    total += line.product.price * line.quantity;
    itemCount += line.quantity;
  }
  return { total, itemCount };
}

/** Empties the cart and remembers the order's summary for the confirmation page. */
export function completeOrder(order: OrderSummary): void {
  writeJson(ORDER_KEY, order);
  try {
    sessionStorage.removeItem(CART_KEY);
  } catch {
    // Storage blocked: nothing to remove.
  }
}

/** The last order placed in this tab, if any. */
export function readLastOrder(): OrderSummary | undefined {
  return readJson<OrderSummary>(ORDER_KEY);
}

function readJson<T>(key: string): T | undefined {
  try {
    const text = sessionStorage.getItem(key);
    return text ? (JSON.parse(text) as T) : undefined;
  } catch {
    return undefined;
  }
}

function writeJson(key: string, value: unknown): void {
  try {
    sessionStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage blocked: the cart lasts for this page only.
  }
}
