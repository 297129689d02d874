// PQA queue (#/): accounts ranked by score (GET /v1/accounts), each with a
// stacked bar of its score parts, route and suppression badges, active
// triggers and owners; filter by route; a row opens the account page.

import { api, type Account } from '../api';
import { badge, card, clear, h, stats, table } from '../dom';
import { num } from '../format';
import type { ViewContext } from '../main';

export const PARTS = [
  { key: 'firmographic', label: 'Firmographic', color: '#6b7a90' },
  { key: 'capacity', label: 'Capacity', color: '#2f6db5' },
  { key: 'adoption', label: 'Adoption', color: '#5aa9c9' },
  { key: 'value', label: 'Value', color: '#3a9d6e' },
  { key: 'committee', label: 'Committee', color: '#e0883a' },
] as const;

const ROUTES = ['ae', 'csm', 'nurture', 'suppressed'] as const;
let routeFilter = '';

export function partValues(a: Account): Record<(typeof PARTS)[number]['key'], number> {
  return {
    firmographic: a.parts.firmographic,
    capacity: a.parts.usage.capacity,
    adoption: a.parts.usage.adoption,
    value: a.parts.usage.value,
    committee: a.parts.committee,
  };
}

// The score as a stacked bar on a 0..100 scale, one segment per part.
export function scoreBar(a: Account, testid?: string): HTMLElement {
  const values = partValues(a);
  return h(
    'div',
    { class: 'scorebar', testid, title: PARTS.map((p) => `${p.label} ${values[p.key]}`).join(' · ') },
    PARTS.filter((p) => values[p.key] > 0).map((p) => h('span', { class: 'seg', style: `width:${values[p.key]}%;background:${p.color}` })),
  );
}

export function routeBadge(route: string, testid?: string): HTMLElement {
  return badge(route, `route-${route}`, testid);
}

export function legend(): HTMLElement {
  return h(
    'div',
    { class: 'legend' },
    PARTS.map((p) => h('span', { class: 'legend-item' }, h('span', { class: 'swatch', style: `background:${p.color}` }), p.label)),
  );
}

export async function renderQueue(ctx: ViewContext): Promise<void> {
  const all = await api.accounts();
  const counts = Object.fromEntries(ROUTES.map((r) => [r, all.filter((a) => a.route === r).length]));
  const body = h('div');

  const draw = async () => {
    const rows = routeFilter ? await api.accounts(routeFilter) : all;
    if (!ctx.current()) return;
    clear(body);
    body.appendChild(
      table<Account>(
        [
          { label: '#', cell: (_a, i) => i + 1, num: true },
          {
            label: 'Account',
            cell: (a) => h('div', { class: 'nowrap' }, h('div', { class: 'strong' }, a.name ?? a.account_id), h('div', { class: 'muted small' }, a.account_id)),
            testid: (_a, i) => `queue-name-${i}`,
          },
          { label: 'Score', cell: (a) => h('span', { class: 'score' }, num(a.score)), num: true, testid: (_a, i) => `queue-score-${i}` },
          { label: 'Score parts', cell: (a, i) => scoreBar(a, `queue-bar-${i}`) },
          { label: 'Route', cell: (a, i) => h('div', { class: 'route-cell' }, routeBadge(a.route, `queue-route-${i}`), a.suppressed_by.map((s) => badge(s, 'warn'))) },
          { label: 'Active triggers', cell: (a) => h('div', { class: 'chips' }, a.active_triggers.map((t) => badge(t, 'trigger'))) },
          {
            label: 'Owners',
            cell: (a) => h('div', { class: 'small nowrap' }, h('div', null, h('span', { class: 'muted' }, 'AE '), a.owners.ae ?? '–'), h('div', null, h('span', { class: 'muted' }, 'CSM '), a.owners.csm ?? '–')),
          },
        ],
        rows,
        {
          testid: 'queue-table',
          empty: 'No account on this route.',
          rowAttrs: (a, i) => ({
            class: 'clickable',
            testid: `queue-row-${i}`,
            'data-account': a.account_id,
            onclick: () => (location.hash = `#/account/${encodeURIComponent(a.account_id)}`),
          }),
        },
      ),
    );
  };

  const filter = h(
    'div',
    { class: 'segmented', testid: 'route-filter' },
    [['', `All (${all.length})`], ...ROUTES.map((r) => [r, `${r} (${counts[r]})`])].map(([value, label]) =>
      h(
        'button',
        {
          class: value === routeFilter ? 'seg-btn active' : 'seg-btn',
          'data-route': value || 'all',
          onclick: async (ev: Event) => {
            routeFilter = value;
            for (const b of filter.querySelectorAll('button')) b.classList.toggle('active', b === ev.currentTarget);
            await draw();
          },
        },
        label,
      ),
    ),
  );

  await draw();
  ctx.root.append(
    h('div', { class: 'view-head' }, h('h1', null, 'PQA queue'), h('p', { class: 'muted' }, 'Accounts ranked by score; the bar shows where each point comes from.')),
    stats([
      { label: 'accounts', value: num(all.length), testid: 'stat-accounts' },
      { label: 'route ae', value: num(counts.ae), testid: 'stat-ae' },
      { label: 'route csm', value: num(counts.csm), testid: 'stat-csm' },
      { label: 'nurture', value: num(counts.nurture) },
      { label: 'suppressed', value: num(counts.suppressed), tone: counts.suppressed ? 'tone-warn' : undefined },
    ]),
    card('Ranked accounts', body, { wide: true, extra: h('div', { class: 'card-tools' }, legend(), filter) }),
  );
}
