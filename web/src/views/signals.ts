// Signals board (#/signals): every signal (GET /v1/signals) in a column per
// status. Open signals show the SLA countdown to `touch_due`, computed against
// the engine clock W from /v1/status (never the browser's clock): overdue is
// red. Escalations show `escalated_at` and `escalated_to`.

import { api, type Signal } from '../api';
import { h, stats } from '../dom';
import { DASH, dateTime, duration, ms, num } from '../format';
import type { ViewContext } from '../main';
import { routeBadge } from './queue';

const COLUMNS = ['open', 'opportunity', 'won', 'lost', 'expired', 'suppressed'] as const;
const PER_COLUMN = 40;

// Hours left until touch_due at W (negative = overdue); null when the SLA no
// longer runs (touched, closed, or no due time).
export function slaHoursLeft(s: Signal, clock: string | null): number | null {
  if (!clock || !s.touch_due || s.first_touch_at || (s.status !== 'open' && s.status !== 'opportunity')) return null;
  return (ms(s.touch_due) - ms(clock)) / 3600000;
}

function sla(s: Signal, clock: string | null): HTMLElement | null {
  const left = slaHoursLeft(s, clock);
  if (left !== null) {
    return h('div', { class: left < 0 ? 'sla overdue' : left < 12 ? 'sla soon' : 'sla', testid: `sla-${s.signal_id}` }, left < 0 ? `overdue ${duration(-left)}` : `touch due in ${duration(left)}`);
  }
  if (s.first_touch_at) return h('div', { class: s.touched_within_sla ? 'sla ok' : 'sla late' }, `touched ${dateTime(s.first_touch_at)}${s.touched_within_sla ? ' · within SLA' : ' · late'}`);
  return null;
}

function signalCard(s: Signal, clock: string | null, names: Map<string, string>): HTMLElement {
  const live = s.status === 'open' || s.status === 'opportunity';
  return h(
    'a',
    { class: 'sig-card', href: `#/account/${encodeURIComponent(s.account_id)}`, testid: `signal-card-${s.signal_id}` },
    h('div', { class: 'sig-top' }, h('span', { class: 'strong' }, names.get(s.account_id) ?? s.account_id), h('span', { class: 'sig-score' }, num(s.score))),
    h('div', { class: 'muted small' }, s.signal_id),
    h('div', { class: 'sig-meta' }, routeBadge(s.route), h('span', { class: 'muted small' }, ` ${s.owner} · ${s.motion}`)),
    h('div', { class: 'muted small' }, s.triggers.join(', ') || DASH),
    sla(s, clock),
    s.escalated_at ? h('div', { class: live ? 'escalated' : 'escalated past', testid: `escalated-${s.signal_id}` }, `escalated ${dateTime(s.escalated_at)} → ${(s.escalated_to ?? []).join(', ') || DASH}`) : null,
    s.closed_at ? h('div', { class: 'muted small' }, `closed ${dateTime(s.closed_at)}${s.close_reason ? ` · ${s.close_reason}` : ''}${s.amount !== null ? ` · $${num(s.amount)}` : ''}`) : h('div', { class: 'muted small' }, `created ${dateTime(s.created_at)}`),
  );
}

export async function renderSignals(ctx: ViewContext): Promise<void> {
  const [signals, accounts] = await Promise.all([api.signals(), api.accounts()]);
  const names = new Map(accounts.map((a) => [a.account_id, a.name ?? a.account_id]));
  const clock = ctx.status.clock;
  const open = signals.filter((s) => s.status === 'open');
  const overdue = signals.filter((s) => (slaHoursLeft(s, clock) ?? 1) < 0);
  const escalated = signals.filter((s) => s.escalated_at && (s.status === 'open' || s.status === 'opportunity'));
  const board = h(
    'div',
    { class: 'board', testid: 'signals-board' },
    COLUMNS.map((status) => {
      // Live columns: most urgent first; closed columns: most recently closed first.
      const rows = signals.filter((s) => s.status === status);
      rows.sort((a, b) =>
        status === 'open' || status === 'opportunity'
          ? (slaHoursLeft(a, clock) ?? Infinity) - (slaHoursLeft(b, clock) ?? Infinity) || a.signal_id.localeCompare(b.signal_id)
          : ms(b.closed_at ?? b.created_at) - ms(a.closed_at ?? a.created_at) || a.signal_id.localeCompare(b.signal_id),
      );
      return h(
        'section',
        { class: `column column-${status}`, testid: `column-${status}` },
        h('header', null, h('span', null, status), h('span', { class: 'count', testid: `signals-count-${status}` }, String(rows.length))),
        h('div', { class: 'column-body' }, rows.slice(0, PER_COLUMN).map((s) => signalCard(s, clock, names)), rows.length > PER_COLUMN ? h('div', { class: 'muted small more' }, `and ${rows.length - PER_COLUMN} more`) : null),
      );
    }),
  );
  ctx.root.append(
    h('div', { class: 'view-head' }, h('h1', null, 'Signals board'), h('p', { class: 'muted' }, `SLA countdowns against the engine clock W = ${dateTime(clock)} UTC.`)),
    stats([
      { label: 'signals', value: num(signals.length), testid: 'stat-signals' },
      { label: 'open', value: num(open.length), testid: 'stat-open' },
      { label: 'overdue', value: num(overdue.length), testid: 'stat-overdue', tone: overdue.length ? 'tone-bad' : undefined },
      { label: 'escalated, still live', value: num(escalated.length), testid: 'stat-escalated' },
      { label: 'won', value: num(signals.filter((s) => s.status === 'won').length) },
    ]),
    board,
  );
}
