// Stand-in for an ads network's tag. It runs only when ConsentGate activates it (the page tags it
// `type="text/plain" data-cg-purpose="marketing"`): it sets a first-party cookie and fires a pixel,
// as real ad tags do. ConsentGate deletes the cookie when marketing is withdrawn.
(() => {
  const DAY_S = 86_400;
  const existing = /(?:^|;\s*)_ads_id=([^;]+)/.exec(document.cookie)?.[1];
  const id = existing ?? crypto.randomUUID().replaceAll('-', '').slice(0, 16);
  document.cookie = `_ads_id=${id}; path=/; max-age=${30 * DAY_S}; SameSite=Lax`;
  const url = `/vendors/ads/pixel.gif?id=${id}&page=${encodeURIComponent(location.pathname)}`;
  new Image().src = url;
  // Tells the demo's "What left this browser" panel which fields the pixel carried.
  window.dispatchEvent(
    new CustomEvent('demo:vendor-request', { detail: { url, fields: ['_ads_id', 'page'] } }),
  );
})();
