// consentgate.runtime.js: the script tag's runtime chunk. It registers @consentgate/core for the
// other chunks to share (one ConsentGateError class, one emitter) and a `start` function the
// bootstrap calls with the tag's attributes and its integrity-checked chunk loader.
import * as core from '@consentgate/core';

import { registerChunk, useChunkLoader } from './chunks.js';
import { consentModeEnabled } from './consent-mode-defaults.js';
import { createConsentGate } from './create-consent-gate.js';
import { toConsentGateOptions } from './script-options.js';

registerChunk('core', core);
registerChunk('runtime', {
  start(config, load) {
    useChunkLoader(load);
    return createConsentGate(toConsentGateOptions(config), {
      loadWidget: () => load('widget'),
      consentModeDefaultsPushed: consentModeEnabled(config.consentMode),
    });
  },
});
