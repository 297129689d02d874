// Login view (#/login): asks for the API token once, checks it against
// /v1/status, stores it in localStorage. The page itself needs no token.

import { get, setToken, ApiError } from '../api';
import { h } from '../dom';

export function renderLogin(app: HTMLElement, message: string, done: () => void): void {
  const input = h('input', { type: 'password', id: 'token', name: 'token', placeholder: 'tok_…', autocomplete: 'current-password', testid: 'login-token', required: true });
  const error = h('p', { class: 'form-error', testid: 'login-error' }, message);
  const form = h(
    'form',
    {
      class: 'login-card',
      testid: 'login-form',
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        const token = input.value.trim();
        if (!token) return;
        error.textContent = '';
        try {
          await get('/v1/status', undefined, token);
          setToken(token);
          done();
        } catch (e) {
          error.textContent = e instanceof ApiError && e.status === 401 ? 'That token was refused by the server.' : `Could not check the token: ${(e as Error).message}`;
        }
      },
    },
    h('div', { class: 'brand brand-login' }, h('span', { class: 'brand-mark' }), 'Headroom'),
    h('h1', null, 'Sign in'),
    h('p', { class: 'muted' }, 'Enter an API token from ', h('code', null, 'server.api_tokens'), ' in headroom.yaml. It is kept in this browser only and sent as a bearer token on every API call.'),
    h('label', { for: 'token' }, 'API token'),
    input,
    error,
    h('button', { class: 'btn btn-primary', type: 'submit', testid: 'login-submit' }, 'Sign in'),
  );
  app.appendChild(h('div', { class: 'login-page' }, form));
  input.focus();
}
