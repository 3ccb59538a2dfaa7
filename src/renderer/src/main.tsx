import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createHttpApi } from './api/httpApi';
import { imagesOverHttp } from './api/images';

// In Electron the preload provides window.api; in a browser (npm run serve) it comes over HTTP.
if (!window.api) {
  window.api = createHttpApi();
  imagesOverHttp();
}

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
