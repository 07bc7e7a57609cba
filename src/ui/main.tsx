import { render } from 'preact';
import { App } from './app.js';
import { startSession } from './session.js';

// On Theater every byte of the page stays in the chat actor's event chain, about ten times over,
// at every load: the page holds only what must come before the script; the icon comes from here.
const icon = document.createElement('link');
icon.rel = 'icon';
icon.type = 'image/svg+xml';
icon.href = '/assets/favicon.svg';
document.head.append(icon);

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(<App />, root);
  startSession();
}
