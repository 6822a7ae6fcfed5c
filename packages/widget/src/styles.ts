/**
 * The stylesheet of the first layer and what every view shares, adopted by its shadow root as a constructable stylesheet: no `<style>`
 * element and no `style` attribute, so it works under a CSP without `'unsafe-inline'`.
 *
 * Theming goes through the documented `--cg-*` custom properties; each is read once into a
 * private short name with its default, so a site can set them on `:root` or on the
 * `consentgate-widget` element. Motion lives only inside `prefers-reduced-motion: no-preference`.
 * Everything is `position: fixed`, so showing the widget never moves the page (CLS 0).
 */
export const CSS = `:host{all:initial;display:contents;--b:var(--cg-bg,#fff);--f:var(--cg-fg,#1b1f24);--m:var(--cg-muted,#4b5563);--a:var(--cg-accent,#1d4ed8);--af:var(--cg-accent-fg,#fff);--l:var(--cg-border,#d0d7de);--k:var(--cg-focus,#b45309);--r:var(--cg-radius,10px);--z:var(--cg-z-index,2147483000)}
*{box-sizing:border-box}
.cg-overlay{position:fixed;inset:0;z-index:var(--z);display:flex;align-items:flex-end;justify-content:center;padding:12px;background:var(--cg-backdrop,#0007)}
.cg-dialog{width:100%;max-width:44rem;max-height:100%;overflow:auto;padding:20px 24px;border-radius:var(--r);background:var(--b);color:var(--f);font:var(--cg-font-size,15px)/1.5 var(--cg-font,system-ui,sans-serif);box-shadow:0 8px 32px #0004}
h2,h3,h4{margin:0 0 8px;font-size:1.05em}h2{font-size:1.25em}
p,ul,dl{margin:0 0 12px}ul{padding-left:1.25em}
small,dt,.cg-note{color:var(--m)}
a,.cg-link{color:var(--a);font:inherit;background:0;border:0;padding:0;text-decoration:underline;cursor:pointer}
:focus-visible{outline:3px solid var(--k);outline-offset:2px}
.cg-dialog:focus{outline:0}
.cg-actions{display:flex;flex-wrap:wrap;gap:8px;margin:16px 0 8px}
.cg-btn{flex:1 1 12rem;min-height:44px;padding:8px 16px;border:2px solid var(--a);border-radius:var(--r);background:var(--a);color:var(--af);font:inherit;font-weight:600;cursor:pointer}
.cg-links{display:flex;flex-wrap:wrap;gap:4px 20px;align-items:center}
.cg-gpc{padding:8px 12px;border-left:4px solid var(--a)}
.cg-alert{padding:8px 12px;border:2px solid #b42318;color:#b42318}
.cg-block{display:block;flex-basis:100%}.cg-suffix{margin-left:.4em}
.cg-reopen{position:fixed;left:16px;bottom:16px;z-index:var(--z);width:48px;height:48px;display:grid;place-items:center;border:2px solid var(--b);border-radius:50%;background:var(--a);color:var(--af);cursor:pointer}
.cg-reopen svg{width:24px;fill:currentColor}
@media (prefers-reduced-motion:no-preference){.cg-dialog{animation:cg-in .2s ease-out}}
@keyframes cg-in{from{transform:translateY(16px)}}`;

/** Adds `css` to the stylesheets `root` adopted, as a new constructable stylesheet. */
export function adoptStyles(root: ShadowRoot, css: string): void {
  // Constructed in the shadow root's own window: adoptedStyleSheets refuses a sheet from another
  // document (a container inside an iframe).
  const view = root.ownerDocument.defaultView ?? window;
  const sheet = new view.CSSStyleSheet();
  sheet.replaceSync(css);
  root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
}
