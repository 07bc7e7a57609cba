import { render } from 'preact';
import { App } from './app.js';
import { connection } from './state.js';

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(<App />, root);
  connection.start();
}
