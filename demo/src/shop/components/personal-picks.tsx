import { useEffect, useState } from 'preact/hooks';

import { PRODUCTS, findProduct } from '../products.js';
import type { Product } from '../products.js';
import { useConsentState, useShop } from '../shop-context.js';
import { ProductCard } from './product-card.js';

/** Most products each list shows. */
const SHOWN = 4;

/**
 * "Recently viewed" and "Recommended for you", worked out in this browser from the visitor's own
 * `personalization` records. The policy marks that purpose local-only, so none of it ever leaves.
 */
export function PersonalPicks({ current }: { current?: string }) {
  const { cg, t } = useShop();
  const { ready, notice, version } = useConsentState(cg);
  const [viewed, setViewed] = useState<readonly string[] | undefined>();

  useEffect(() => {
    let live = true;
    const store = cg.store;
    if (!ready || !store) return;
    void store.events.list({ purpose: 'personalization' }).then((result) => {
      if (live) setViewed(result.ok ? recentSkus(result.value) : []);
    });
    return () => {
      live = false;
    };
  }, [cg, ready, version]);

  if (!ready || viewed === undefined) return null;
  const on = notice?.purposes.some((p) => p.id === 'personalization' && p.allowed) === true;
  const recent = viewed
    .filter((sku) => sku !== current)
    .map(findProduct)
    .filter((p): p is Product => p !== undefined)
    .slice(0, SHOWN);
  const recommended = recommend(viewed, current).slice(0, SHOWN);

  return (
    <section class="picks" aria-labelledby="picks-title" data-testid="personal-picks">
      <div class="picks-head">
        <h2 id="picks-title">{t.recentTitle}</h2>
        <p class="local-note">
          <span class="lock" aria-hidden="true" />
          {t.localOnly}
        </p>
      </div>
      {!on && viewed.length === 0 ? (
        <div class="picks-off">
          <p>{t.personalizationOff}</p>
          <button type="button" class="button button-quiet" onClick={() => cg.showPreferences()}>
            {t.openPreferences}
          </button>
        </div>
      ) : recent.length === 0 ? (
        <p class="muted">{t.noHistory}</p>
      ) : (
        <>
          <div class="grid grid-compact" data-testid="recently-viewed">
            {recent.map((product) => (
              <ProductCard key={product.sku} product={product} compact />
            ))}
          </div>
          {recommended.length > 0 && (
            <>
              <h2 class="picks-sub">{t.recsTitle}</h2>
              <div class="grid grid-compact" data-testid="recommended">
                {recommended.map((product) => (
                  <ProductCard key={product.sku} product={product} compact />
                ))}
              </div>
            </>
          )}
        </>
      )}
    </section>
  );
}

/** SKUs of viewed products, most recent first, each once. */
function recentSkus(
  records: readonly {
    name: string;
    fields: Readonly<Record<string, unknown>>;
    createdAt: number;
  }[],
): string[] {
  const skus: string[] = [];
  for (const record of [...records].sort((a, b) => b.createdAt - a.createdAt)) {
    const sku = record.fields.sku;
    if (record.name === 'Product Viewed' && typeof sku === 'string' && !skus.includes(sku)) {
      skus.push(sku);
    }
  }
  return skus;
}

/** Products not yet viewed, from the categories viewed most, then the cheapest first. */
function recommend(viewed: readonly string[], current: string | undefined): Product[] {
  const weight = new Map<string, number>();
  for (const sku of viewed) {
    const category = findProduct(sku)?.category;
    if (category) weight.set(category, (weight.get(category) ?? 0) + 1);
  }
  if (weight.size === 0) return [];
  return PRODUCTS.filter((p) => !viewed.includes(p.sku) && p.sku !== current)
    .map((p) => ({ p, score: weight.get(p.category) ?? 0 }))
    .filter(({ score }) => score > 0)
    .sort((a, b) => b.score - a.score || a.p.price - b.p.price)
    .map(({ p }) => p);
}
