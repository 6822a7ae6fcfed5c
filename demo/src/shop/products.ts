import type { Locale } from './prefs.js';

/** A text in both storefront languages. */
export type Text = Readonly<Record<Locale, string>>;

/** A product category. */
export interface Category {
  readonly id: string;
  readonly name: Text;
}

/** A product of the demo catalog. */
export interface Product {
  readonly sku: string;
  readonly category: string;
  readonly name: Text;
  readonly description: Text;
  /** Price in yen, tax included. */
  readonly price: number;
  /** The character on the product's tile, and its colours. */
  readonly glyph: string;
  readonly tint: string;
  readonly ink: string;
}

export const CATEGORIES: readonly Category[] = [
  { id: 'tableware', name: { ja: 'うつわ', en: 'Tableware' } },
  { id: 'tea', name: { ja: 'お茶', en: 'Tea' } },
  { id: 'textiles', name: { ja: '布もの', en: 'Textiles' } },
  { id: 'stationery', name: { ja: '文具', en: 'Stationery' } },
];

export const PRODUCTS: readonly Product[] = [
  {
    sku: 'SG-101',
    category: 'tableware',
    name: { ja: '有田焼 湯呑み「藍」', en: 'Arita teacup "Ai"' },
    description: {
      ja: '佐賀・有田の窯元で一つずつ絵付けした、藍色の湯呑みです。手になじむ小ぶりな形。',
      en: 'Hand-painted in indigo by a kiln in Arita, Saga. A small cup that sits well in the hand.',
    },
    price: 3300,
    glyph: '藍',
    tint: '#e6ecf5',
    ink: '#23408e',
  },
  {
    sku: 'SG-102',
    category: 'tableware',
    name: { ja: '波佐見焼 豆皿 5枚組', en: 'Hasami small plates, set of 5' },
    description: {
      ja: '薬味や和菓子に。五色の釉薬が食卓を明るくします。食洗機対応。',
      en: 'For condiments or sweets, in five glazes that brighten the table. Dishwasher safe.',
    },
    price: 4400,
    glyph: '皿',
    tint: '#f3ede4',
    ink: '#8a5a2b',
  },
  {
    sku: 'SG-103',
    category: 'tableware',
    name: { ja: '若狭塗 箸', en: 'Wakasa lacquered chopsticks' },
    description: {
      ja: '貝殻や卵殻を塗り重ね、研ぎ出した福井の伝統的な塗り箸です。',
      en: 'Layers of lacquer with shell and eggshell, polished by hand in Fukui.',
    },
    price: 2750,
    glyph: '箸',
    tint: '#f6e7e7',
    ink: '#8c2f39',
  },
  {
    sku: 'SG-201',
    category: 'tea',
    name: { ja: '宇治抹茶「白鷺」30g', en: 'Uji matcha "Shirasagi", 30 g' },
    description: {
      ja: '京都・宇治の一番茶を石臼で挽いた、まろやかな薄茶向けの抹茶です。',
      en: 'First-flush tea from Uji, Kyoto, stone-ground; mellow, for thin tea.',
    },
    price: 2160,
    glyph: '茶',
    tint: '#e9f1e3',
    ink: '#3f6b2a',
  },
  {
    sku: 'SG-202',
    category: 'tea',
    name: { ja: '常滑焼 急須', en: 'Tokoname teapot' },
    description: {
      ja: '朱泥の急須。茶葉の渋みをやわらげ、まろやかな味わいに。',
      en: 'A red-clay teapot that softens the bitterness of the leaves.',
    },
    price: 6600,
    glyph: '急',
    tint: '#f8e9e1',
    ink: '#a4442a',
  },
  {
    sku: 'SG-203',
    category: 'tea',
    name: { ja: 'ほうじ茶 ティーバッグ 20包', en: 'Hojicha tea bags, 20' },
    description: {
      ja: '香ばしく焙じた静岡の茶葉。カフェインが少なく、夜にも。',
      en: 'Roasted Shizuoka leaves with a toasty aroma and little caffeine.',
    },
    price: 980,
    glyph: '焙',
    tint: '#f2ebe1',
    ink: '#6b4a2b',
  },
  {
    sku: 'SG-301',
    category: 'textiles',
    name: { ja: '注染 手ぬぐい「桜」', en: 'Chusen tenugui "Sakura"' },
    description: {
      ja: '職人が一枚ずつ染め上げた綿の手ぬぐい。使うほどに柔らかくなります。',
      en: 'Cotton towel dyed sheet by sheet by hand; it softens with every use.',
    },
    price: 1320,
    glyph: '桜',
    tint: '#fbeef1',
    ink: '#b03a5b',
  },
  {
    sku: 'SG-302',
    category: 'textiles',
    name: { ja: '風呂敷 二巾「青海波」', en: 'Furoshiki "Seigaiha", 68 cm' },
    description: {
      ja: '包む・運ぶ・飾る。青海波の文様を染めた綿の風呂敷です。',
      en: 'Wrap, carry, decorate: a cotton cloth dyed with the wave pattern.',
    },
    price: 2420,
    glyph: '波',
    tint: '#e4f0f2',
    ink: '#1f6874',
  },
  {
    sku: 'SG-401',
    category: 'stationery',
    name: { ja: '美濃和紙 ノート', en: 'Mino washi notebook' },
    description: {
      ja: '岐阜・美濃の手漉き和紙を表紙に使った、糸綴じのノートです。',
      en: 'Thread-bound, with a cover of hand-made washi from Mino, Gifu.',
    },
    price: 1650,
    glyph: '紙',
    tint: '#f4f1e8',
    ink: '#5d5a4a',
  },
];

/** The product with this SKU, if any. */
export function findProduct(sku: string): Product | undefined {
  return PRODUCTS.find((product) => product.sku === sku);
}

/** The category with this id, if any. */
export function findCategory(id: string): Category | undefined {
  return CATEGORIES.find((category) => category.id === id);
}

/** A yen amount as the locale writes it: "¥3,300" / "3,300円". */
export function formatPrice(yen: number, locale: Locale): string {
  return locale === 'ja'
    ? `${yen.toLocaleString('ja-JP')}円`
    : new Intl.NumberFormat('en-US', { style: 'currency', currency: 'JPY' }).format(yen);
}
