// The second layer, split from the banner's chunk: the widget imports this module once the banner
// is on screen (or when a panel is first opened), so the first paint stays small.
export { PANEL_CSS } from './panel-styles.js';
export { PreferencesDialog } from './preferences-dialog.js';
export { PrivacyCentre } from './privacy-centre.js';
