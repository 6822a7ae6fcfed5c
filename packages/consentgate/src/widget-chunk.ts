// consentgate.widget.<locale>.js: the widget, with one locale's messages built in, registered for
// the runtime. Its `@consentgate/core` is the runtime's (see scripts/build.mjs).
import * as widget from '@consentgate/widget';

import { registerChunk } from './chunks.js';

registerChunk('widget', widget);
