import type { Product } from '../products.js';

/** The product's picture: its character on a tinted, patterned tile (no image requests). */
export function ProductArt({
  product,
  size = 'md',
}: {
  product: Product;
  size?: 'sm' | 'md' | 'lg';
}) {
  return (
    <div
      class={`art art-${size}`}
      style={{ '--tint': product.tint, '--ink': product.ink }}
      aria-hidden="true"
    >
      <span>{product.glyph}</span>
    </div>
  );
}
