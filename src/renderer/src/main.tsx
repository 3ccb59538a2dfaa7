import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createHttpApi } from './api/httpApi';

// In Electron the preload provides window.api; in a browser (npm run serve) it comes over HTTP.
window.api ??= createHttpApi();

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
