// The dashboard's shell: a sidebar, a header with the engine clock W
// (/v1/status), and a hash router that renders one view module at a time.
// Routes: #/ (PQA queue), #/account/<id>, #/signals, #/reports/<name>,
// #/backtest, #/login.

import './style.css';
import { api, ApiError, clearToken, getToken, setUnauthorizedHandler, type Status } from './api';
import { destroyCharts } from './charts';
import { clear, h } from './dom';
import { dateTime } from './format';
import { renderAccount } from './views/account';
import { renderBacktest } from './views/backtest';
import { renderLogin } from './views/login';
import { renderQueue } from './views/queue';
import { REPORTS, renderReport } from './views/reports';
import { renderSignals } from './views/signals';

export interface ViewContext {
  root: HTMLElement;
  params: string[];
  status: Status;
  // False once the user navigated away: async work must stop drawing.
  current: () => boolean;
}

type View = (ctx: ViewContext) => Promise<void>;

const app = document.getElementById('app')!;
let generation = 0;
let loginMessage = '';

setUnauthorizedHandler((message) => {
  loginMessage = `The server refused the token (${message}). Enter it again.`;
  if (location.hash !== '#/login') location.hash = '#/login';
});

function route(): { view: View; params: string[]; nav: string } {
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  switch (parts[0]) {
    case undefined:
      return { view: renderQueue, params: [], nav: 'queue' };
    case 'account':
      return { view: renderAccount, params: parts.slice(1), nav: 'queue' };
    case 'signals':
      return { view: renderSignals, params: [], nav: 'signals' };
    case 'reports':
      return { view: renderReport, params: [parts[1] ?? 'triggers'], nav: 'reports/' + (parts[1] ?? 'triggers') };
    case 'backtest':
      return { view: renderBacktest, params: [], nav: 'backtest' };
    default:
      return { view: renderQueue, params: [], nav: 'queue' };
  }
}

function navLink(href: string, label: string, active: boolean, testid: string): HTMLElement {
  return h('a', { href, class: active ? 'nav-link active' : 'nav-link', testid }, label);
}

function shell(nav: string, status: Status): { main: HTMLElement } {
  const main = h('main', { class: 'content' });
  const sidebar = h(
    'nav',
    { class: 'sidebar' },
    h('a', { class: 'brand', href: '#/' }, h('span', { class: 'brand-mark' }), 'Headroom'),
    h('div', { class: 'nav-group' }, 'Work'),
    navLink('#/', 'PQA queue', nav === 'queue', 'nav-queue'),
    navLink('#/signals', 'Signals board', nav === 'signals', 'nav-signals'),
    navLink('#/backtest', 'Backtest', nav === 'backtest', 'nav-backtest'),
    h('div', { class: 'nav-group' }, 'Reports'),
    REPORTS.map((r) => navLink(`#/reports/${r.name}`, r.title, nav === `reports/${r.name}`, `nav-report-${r.name}`)),
  );
  const header = h(
    'header',
    { class: 'topbar' },
    h(
      'div',
      { class: 'clock' },
      h('span', { class: 'clock-label' }, 'Engine clock W'),
      h('span', { class: 'clock-value', testid: 'clock' }, status.clock ? `${dateTime(status.clock)} UTC` : 'no inputs yet'),
      h('span', { class: status.live_clock ? 'pill pill-live' : 'pill' }, status.live_clock ? 'live' : 'frozen'),
    ),
    h(
      'div',
      { class: 'topbar-right' },
      h('span', { class: 'muted' }, `${status.accounts} accounts · ${status.open_signals} open signals · ${status.inputs.toLocaleString('en-US')} inputs`),
      h(
        'button',
        {
          class: 'btn btn-ghost',
          testid: 'logout',
          onclick: () => {
            clearToken();
            loginMessage = '';
            location.hash = '#/login';
          },
        },
        'Sign out',
      ),
    ),
  );
  clear(app);
  app.appendChild(h('div', { class: 'layout' }, sidebar, h('div', { class: 'page' }, header, main)));
  return { main };
}

async function render(): Promise<void> {
  const mine = ++generation;
  const current = () => mine === generation;
  // What is on screen no longer matches the route until this render finishes.
  app.querySelector('main.content')?.removeAttribute('data-ready');
  destroyCharts();
  if (location.hash === '#/login' || !getToken()) {
    clear(app);
    renderLogin(app, loginMessage, afterLogin);
    return;
  }
  const { view, params, nav } = route();
  let status: Status;
  try {
    status = await api.status();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return; // the handler moved to #/login
    clear(app);
    app.appendChild(h('div', { class: 'fatal' }, h('h1', null, 'Cannot reach the Headroom API'), h('p', null, String((e as Error).message))));
    return;
  }
  if (!current()) return;
  const { main } = shell(nav, status);
  main.appendChild(h('div', { class: 'loading' }, 'Loading…'));
  try {
    const root = h('div', { class: 'view' });
    await view({ root, params, status, current });
    if (!current()) return;
    clear(main);
    main.appendChild(root);
    main.setAttribute('data-ready', 'true');
  } catch (e) {
    if (!current()) return;
    if (e instanceof ApiError && e.status === 401) return;
    clear(main);
    main.appendChild(h('div', { class: 'error-box', testid: 'view-error' }, h('strong', null, 'Could not load this view: '), String((e as Error).message)));
    main.setAttribute('data-ready', 'error');
  }
}

function afterLogin(): void {
  loginMessage = '';
  if (location.hash === '#/login' || location.hash === '') location.hash = '#/';
  else void render();
}

window.addEventListener('hashchange', () => void render());
void render();
