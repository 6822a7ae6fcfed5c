import { PersonalPicks } from '../components/personal-picks.js';
import { ProductCard } from '../components/product-card.js';
import { CATEGORIES, PRODUCTS } from '../products.js';
import { useShop } from '../shop-context.js';

/** The home page: the catalog, filterable by category, and the visitor's local picks. */
export function CatalogPage({ category }: { category: string | undefined }) {
  const { t, prefs } = useShop();
  const shown = category ? PRODUCTS.filter((p) => p.category === category) : PRODUCTS;
  return (
    <>
      <section class="hero">
        <div>
          <h1>{t.heroTitle}</h1>
          <p>{t.heroLead}</p>
        </div>
        <div class="hero-art" aria-hidden="true">
          <span>手</span>
          <span>仕</span>
          <span>事</span>
        </div>
      </section>
      <nav class="chips" aria-label={t.allProducts}>
        <a href="/" aria-current={category === undefined ? 'page' : undefined}>
          {t.allProducts}
        </a>
        {CATEGORIES.map((c) => (
          <a
            key={c.id}
            href={`/?category=${c.id}`}
            aria-current={category === c.id ? 'page' : undefined}
          >
            {c.name[prefs.locale]}
          </a>
        ))}
      </nav>
      <div class="grid" data-testid="catalog">
        {shown.map((product) => (
          <ProductCard key={product.sku} product={product} />
        ))}
      </div>
      <PersonalPicks />
    </>
  );
}
