// One implementation in core, so a receipt the SDK writes cites the revision the widget expects.
export { canonicalJson, noticeRevision } from '@consentgate/core';
