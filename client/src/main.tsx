import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
// Plain CSS, one file per area; base first (tokens), the rest in any order.
import './styles/base.css';
import './styles/components.css';
import './styles/header.css';
import './styles/pages.css';
import './styles/documents.css';
import './styles/states.css';
import './styles/account.css';
import './styles/auth.css';
import './styles/settings.css';
import './styles/members.css';
import './styles/toolbar.css';
import './styles/document.css';
import './styles/presence.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
