// Account page (#/account/<id>): explains every point. Evidence rows come from
// GET /v1/accounts/{id} (`evidence`, `metrics`, `contract`, `signal`), the
// 90-day sparklines from /v1/accounts/{id}/series, the trigger episode
// timeline from /v1/firings?account=, the signal history from
// /v1/signals?account= (each signal's `history`).

import { api, type AccountDetail, type Firing, type Series, type Signal } from '../api';
import { sparkline, palette } from '../charts';
import { badge, card, h, stats, table, type Child } from '../dom';
import { DASH, date, dateTime, dec, money, ms, num, pct, value } from '../format';
import type { ViewContext } from '../main';
import { legend, routeBadge, scoreBar } from './queue';

type Row = Record<string, unknown>;

const CATEGORY_TITLES: Record<string, string> = {
  firmographic: 'Firmographic criteria',
  usage: 'Usage',
  committee: 'Buying committee',
  triggers: 'Triggers',
};

// A criterion's threshold: {"gte": 10} -> "≥ 10", {"equals": true} -> "= true",
// a bare number -> "≥ n".
export function thresholdText(t: unknown): string {
  if (t === null || t === undefined) return DASH;
  if (typeof t === 'number') return `≥ ${value(t)}`;
  if (typeof t !== 'object') return String(t);
  const ops: Record<string, string> = { gte: '≥', lte: '≤', equals: '=', in: 'in', within_days: 'within days' };
  return Object.entries(t as Row)
    .map(([k, v]) => `${ops[k] ?? k} ${Array.isArray(v) ? v.map(value).join(', ') : value(v)}`)
    .join(', ');
}

function holdsCell(holds: unknown): HTMLElement {
  if (holds === true) return badge('holds', 'ok');
  if (holds === false) return badge('no', 'off');
  return h('span', { class: 'muted' }, DASH);
}

const SHOWN = new Set(['name', 'value', 'threshold', 'points', 'max_points', 'holds', 'class', 'active']);

function detailsText(row: Row): string {
  return Object.entries(row)
    .filter(([k, v]) => !SHOWN.has(k) && v !== null && v !== undefined)
    .map(([k, v]) => `${k.replace(/_/g, ' ')} ${typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v) ? dateTime(v) : value(v)}`)
    .join(' · ');
}

function evidenceTable(category: string, rows: Row[]): HTMLElement {
  return table<Row>(
    [
      {
        label: category === 'triggers' ? 'Trigger' : 'Criterion',
        cell: (r) => {
          const details = detailsText(r);
          return h(
            'div',
            null,
            h('span', { class: 'strong' }, String(r.name ?? '')),
            r.class ? h('span', { class: 'muted small' }, ` ${String(r.class)}`) : null,
            details ? h('div', { class: 'muted small details' }, details) : null,
          );
        },
      },
      { label: 'Value', cell: (r) => value(r.value), num: true, testid: (r) => `evidence-${category}-${String(r.name)}-value` },
      { label: 'Threshold', cell: (r) => thresholdText(r.threshold), testid: (r) => `evidence-${category}-${String(r.name)}-threshold` },
      {
        label: 'Points',
        cell: (r) => (r.max_points !== undefined ? `${value(r.points)} / ${value(r.max_points)}` : value(r.points)),
        num: true,
        testid: (r) => `evidence-${category}-${String(r.name)}-points`,
      },
      { label: 'Holds', cell: (r) => holdsCell(r.holds), testid: (r) => `evidence-${category}-${String(r.name)}-holds` },
    ],
    rows,
    { rowAttrs: (r) => ({ testid: `evidence-${category}-${String(r.name)}`, class: r.holds === true ? 'row-holds' : undefined }) },
  );
}

function evidenceCards(evidence: unknown, a: AccountDetail): HTMLElement[] {
  if (!evidence || typeof evidence !== 'object') return [card('Evidence', h('p', { class: 'muted' }, 'Not evaluated yet.'), { wide: true })];
  const partPoints: Record<string, number> = {
    firmographic: a.parts.firmographic,
    usage: a.parts.usage.capacity + a.parts.usage.adoption + a.parts.usage.value,
    committee: a.parts.committee,
  };
  const order = ['firmographic', 'usage', 'committee', 'triggers'];
  const keys = Object.keys(evidence as Row).sort((x, y) => (order.indexOf(x) + 99) % 99 - (order.indexOf(y) + 99) % 99);
  return keys.map((k) => {
    const entries = (evidence as Row)[k];
    const body: Child = Array.isArray(entries)
      ? evidenceTable(k, entries.filter((e): e is Row => !!e && typeof e === 'object'))
      : h('pre', { class: 'small' }, JSON.stringify(entries, null, 2));
    const extra = k in partPoints ? h('span', { class: 'pill', testid: `part-${k}` }, `${num(partPoints[k])} points`) : null;
    return card(CATEGORY_TITLES[k] ?? k, body, { testid: `evidence-${k}`, extra });
  });
}

function sparkCard(series: Series): HTMLElement {
  const rows: { name: string; values: (number | null)[] }[] = [
    { name: 'score', values: series.score },
    ...Object.entries(series.metrics).map(([name, values]) => ({ name, values })),
  ];
  const first = series.days[0];
  const last = series.days[series.days.length - 1];
  return card(
    `Last ${series.days.length} days`,
    h(
      'div',
      { class: 'sparks' },
      rows.map((r, i) => {
        const present = r.values.filter((v): v is number => typeof v === 'number');
        const current = present.length ? present[present.length - 1] : null;
        return h(
          'div',
          { class: 'spark-row', testid: `spark-${r.name}` },
          h('div', { class: 'spark-name' }, r.name.replace(/_/g, ' ')),
          sparkline(r.values, { color: palette[i % palette.length], width: 220, height: 34 }),
          h('div', { class: 'spark-range muted small' }, present.length ? `${dec(Math.min(...present), 2)}–${dec(Math.max(...present), 2)}` : DASH),
          h('div', { class: 'spark-value strong' }, current === null ? DASH : dec(current, 2)),
        );
      }),
    ),
    { testid: 'sparklines', extra: h('span', { class: 'muted small' }, `${date(first)} → ${date(last)} · one point per UTC midnight`) },
  );
}

// Episodes on a time axis, one lane per trigger; an active episode runs to W.
function timeline(firings: Firing[], clock: string | null): HTMLElement {
  if (firings.length === 0) return h('p', { class: 'muted' }, 'No trigger has fired for this account.');
  const end = clock ? ms(clock) : Math.max(...firings.map((f) => ms(f.ended_at ?? f.fired_at)));
  const start = Math.min(...firings.map((f) => ms(f.fired_at)), end - 90 * 86400000);
  const span = Math.max(end - start, 1);
  const pos = (t: number) => `${(((t - start) / span) * 100).toFixed(2)}%`;
  const lanes = [...new Set(firings.map((f) => f.trigger))].sort();
  return h(
    'div',
    { class: 'timeline', testid: 'timeline' },
    lanes.map((trigger, li) =>
      h(
        'div',
        { class: 'lane' },
        h('div', { class: 'lane-name' }, trigger),
        h(
          'div',
          { class: 'lane-track' },
          firings
            .filter((f) => f.trigger === trigger)
            .map((f) => {
              const a = ms(f.fired_at);
              const b = f.ended_at ? ms(f.ended_at) : end;
              return h(
                'span',
                {
                  class: f.ended_at ? 'episode' : 'episode active',
                  style: `left:${pos(a)};width:max(3px, calc(${pos(b)} - ${pos(a)}));background:${palette[li % palette.length]}`,
                  title: `${trigger}: ${dateTime(f.fired_at)} → ${f.ended_at ? dateTime(f.ended_at) : 'active'}${f.urgent_at ? ` (urgent ${dateTime(f.urgent_at)})` : ''}`,
                },
                f.urgent_at ? h('span', { class: 'urgent-mark', style: `left:${(((ms(f.urgent_at) - a) / Math.max(b - a, 1)) * 100).toFixed(1)}%` }) : null,
              );
            }),
        ),
      ),
    ),
    h('div', { class: 'lane axis' }, h('div', { class: 'lane-name' }), h('div', { class: 'lane-track axis-track' }, h('span', null, date(new Date(start).toISOString())), h('span', null, `W ${date(new Date(end).toISOString())}`))),
  );
}

function contractValue(key: string, v: unknown): string {
  if (typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v)) return v.slice(11, 23) === '00:00:00.000' ? date(v) : dateTime(v);
  if (typeof v === 'number' && /arr|mrr|amount/.test(key)) return money(v);
  if (typeof v === 'object' && v !== null) return JSON.stringify(v);
  return value(v);
}

function contractCard(a: AccountDetail): HTMLElement {
  const c = a.contract;
  if (!c) return card('Contract', h('p', { class: 'muted' }, 'No contract on record.'), { testid: 'contract' });
  const limits = (c.limits ?? {}) as Record<string, unknown>;
  const triggers = (((a.evidence as Row | null)?.triggers ?? []) as Row[]).filter((t) => typeof t.limit === 'string');
  const bars = Object.entries(limits).map(([key, limit]) => {
    const trig = triggers.find((t) => t.limit === key);
    const lim = typeof limit === 'number' ? limit : null;
    const util = trig && typeof trig.value === 'number' ? trig.value : null;
    const used = util !== null && lim !== null ? Math.round(util * lim * 1000) / 1000 : null;
    const share = util ?? 0;
    return h(
      'div',
      { class: 'util', testid: `util-${key}` },
      h('div', { class: 'util-head' }, h('span', { class: 'strong' }, key), h('span', null, `${used === null ? DASH : dec(used, 1)} used of ${value(limit)}`, h('span', { class: 'muted' }, ` · ${pct(util)}`))),
      h('div', { class: 'util-bar' }, h('span', { class: share >= 0.85 ? 'hot' : share >= 0.8 ? 'warm' : '', style: `width:${Math.min(share, 1) * 100}%` })),
      trig ? h('div', { class: 'muted small' }, `${String(trig.name)} fires at ${pct(Number(trig.threshold), 0)}`) : null,
    );
  });
  const fields = Object.entries(c).filter(([k]) => k !== 'limits' && k !== 'account_id');
  return card(
    'Contract utilization',
    h(
      'div',
      null,
      bars.length ? bars : h('p', { class: 'muted' }, 'The contract has no limits.'),
      h('dl', { class: 'kv' }, fields.map(([k, v]) => [h('dt', null, k.replace(/_/g, ' ')), h('dd', null, contractValue(k, v))])),
    ),
    { testid: 'contract' },
  );
}

function historyDetails(change: Row): string {
  return Object.entries(change)
    .filter(([k]) => k !== 'at' && k !== 'change')
    .map(([k, v]) => `${k.replace(/_/g, ' ')} ${Array.isArray(v) ? v.join(', ') : typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v) ? dateTime(v) : value(v)}`)
    .join(' · ');
}

export function statusBadge(status: string): HTMLElement {
  return badge(status, `status-${status}`);
}

function signalCard(signals: Signal[]): HTMLElement {
  if (signals.length === 0) return card('Signal history', h('p', { class: 'muted' }, 'No signal yet.'), { wide: true, testid: 'signal-history' });
  return card(
    'Signal history',
    h(
      'div',
      { class: 'signals-list' },
      [...signals].reverse().map((s) =>
        h(
          'div',
          { class: 'signal-block', testid: `signal-${s.signal_id}` },
          h(
            'div',
            { class: 'signal-head' },
            h('span', { class: 'strong' }, s.signal_id),
            statusBadge(s.status),
            routeBadge(s.route),
            h('span', { class: 'muted small' }, `owner ${s.owner} · score ${num(s.score)} · ${s.motion} · ${s.triggers.join(', ')}`),
            s.amount !== null ? h('span', { class: 'small strong' }, ` $${num(s.amount)}`) : null,
          ),
          table<Row>(
            [
              { label: 'When', cell: (r) => dateTime(r.at as string) },
              { label: 'Change', cell: (r) => h('span', { class: 'strong' }, String(r.change)) },
              { label: 'Details', cell: (r) => h('span', { class: 'muted small' }, historyDetails(r)) },
            ],
            s.history as unknown as Row[],
          ),
        ),
      ),
    ),
    { wide: true, testid: 'signal-history' },
  );
}

export async function renderAccount(ctx: ViewContext): Promise<void> {
  const id = ctx.params[0] ?? '';
  const [a, series, firings, signals] = await Promise.all([api.account(id), api.series(id, 90), api.firings({ account: id }), api.signals({ account: id })]);
  ctx.root.append(
    h(
      'div',
      { class: 'view-head account-head' },
      h('div', null, h('a', { href: '#/', class: 'back' }, '← PQA queue'), h('h1', { testid: 'account-name' }, a.name ?? a.account_id), h('p', { class: 'muted' }, a.account_id, ' · evaluated ', dateTime(a.evaluated_at))),
      h('div', { class: 'head-badges' }, routeBadge(a.route, 'account-route'), a.suppressed_by.map((s) => badge(s, 'warn')), a.active_triggers.map((t) => badge(t, 'trigger'))),
    ),
    stats([
      { label: 'score', value: num(a.score), testid: 'account-score' },
      { label: 'firmographic', value: num(a.parts.firmographic) },
      { label: 'usage (capacity / adoption / value)', value: `${num(a.parts.usage.capacity)} / ${num(a.parts.usage.adoption)} / ${num(a.parts.usage.value)}` },
      { label: 'committee', value: num(a.parts.committee) },
      { label: 'owners (AE / CSM)', value: `${a.owners.ae ?? DASH} / ${a.owners.csm ?? DASH}` },
    ]),
    card('Score parts', h('div', null, scoreBar(a, 'account-bar'), legend()), { wide: true }),
    h('div', { class: 'grid2' }, evidenceCards(a.evidence, a)),
    h('div', { class: 'grid2' }, sparkCard(series), h('div', { class: 'stack' }, contractCard(a), card('Metrics now', table<[string, unknown]>([{ label: 'Metric', cell: (m) => m[0] }, { label: 'Value', cell: (m) => value(m[1]), num: true, testid: (m) => `metric-${m[0]}` }], Object.entries(a.metrics ?? {})), { testid: 'metrics' }))),
    card(
      'Trigger episodes',
      h(
        'div',
        null,
        timeline(firings, ctx.status.clock),
        table<Firing>(
          [
            { label: 'Trigger', cell: (f) => f.trigger },
            { label: 'Class', cell: (f) => f.class },
            { label: 'Fired', cell: (f) => dateTime(f.fired_at) },
            { label: 'Urgent', cell: (f) => dateTime(f.urgent_at) },
            { label: 'Ended', cell: (f) => (f.ended_at ? dateTime(f.ended_at) : badge('active', 'ok')) },
          ],
          [...firings].reverse(),
          { testid: 'firings-table' },
        ),
      ),
      { wide: true, testid: 'episodes' },
    ),
    signalCard(signals),
  );
}
