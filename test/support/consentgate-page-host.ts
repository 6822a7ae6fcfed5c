// A deferred script after the script tag: the host page's own code. Its button keeps working
// whatever happened to ConsentGate.
import type { ProbeWindow } from './consentgate-probe.js';

const scope = window as unknown as ProbeWindow;
const button = document.getElementById('host-button');
button?.addEventListener('click', () => {
  scope.__probe.hostClicks += 1;
  const output = document.getElementById('host-output');
  if (output) output.textContent = `Added ${scope.__probe.hostClicks}`;
});
