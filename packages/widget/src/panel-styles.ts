/**
 * The stylesheet of the preferences and the privacy centre, adopted next to `CSS` when they load.
 * Same rules as `CSS`: constructable, themed by `--cg-*`, motion only without reduced motion.
 */
export const PANEL_CSS = `.cg-wide{align-items:center}
.cg-btn2{min-height:44px;padding:8px 16px;border:2px solid var(--a);border-radius:var(--r);background:var(--b);color:var(--a);font:inherit;font-weight:600;cursor:pointer}
.cg-row,.cg-entry{display:flex;flex-wrap:wrap;gap:4px 20px;align-items:center}
.cg-row{flex-wrap:nowrap;justify-content:space-between}
.cg-purpose{border-top:1px solid var(--l);padding-top:12px}
.cg-badge{font-weight:600;color:var(--m)}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 12px}dd{margin:0}dd ul{margin:0}
.cg-sw{appearance:none;flex:none;position:relative;width:48px;height:28px;margin:0;border:2px solid var(--m);border-radius:14px;cursor:pointer}
.cg-sw:before{content:"";position:absolute;top:3px;left:3px;width:18px;height:18px;border-radius:50%;background:var(--m)}
.cg-sw:checked{border-color:var(--a);background:var(--a)}
.cg-sw:checked:before{left:23px;background:var(--af)}
.cg-sw:disabled{cursor:not-allowed;opacity:.6}
.cg-list{list-style:none;padding:0}.cg-list li{padding:4px 0}
.cg-row>span{display:flex;gap:12px;align-items:center}
@media (prefers-reduced-motion:no-preference){.cg-sw:before{transition:left .15s}}`;
