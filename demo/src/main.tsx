import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';

import { loadEngine } from './playground/engine.js';
import type { Engine } from './playground/engine.js';
import { Playground } from './playground/playground.js';
import './styles.css';

function App() {
  const [engine, setEngine] = useState<Engine | Error>();
  useEffect(() => {
    loadEngine().then(setEngine, (error: unknown) =>
      setEngine(error instanceof Error ? error : new Error(String(error))),
    );
  }, []);
  return <Playground engine={engine} />;
}

const root = document.getElementById('app');
if (root) render(<App />, root);
