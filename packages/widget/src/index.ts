export { createWidget } from './create-widget.js';
export type {
  SetConsentOptions,
  Widget,
  WidgetEvents,
  WidgetOptions,
  WidgetView,
} from './widget.js';
export type { AuditItem, ConsentReceipt, ConsentStorage, StoredItem } from './consent-storage.js';
export type { ConsentChoices } from './consent-choices.js';
export type { Locale } from './locale.js';
export type { BannerMessages, MessageOverrides, Messages, PanelMessages } from './messages.js';
export { noticeRevision } from './notice-revision.js';
