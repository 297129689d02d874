// Reports (#/reports/<name>): one view per SPEC 4 report, fed by
// GET /v1/reports/{name} (shapes in docs/REPORTS.md), each with a chart where it
// makes sense. The leaderboard is the funnel report's `leaderboard`.

import { api } from '../api';
import { barChart, lineChart } from '../charts';
import { badge, card, h, stats, table } from '../dom';
import { DASH, date, dateTime, dec, money, num, pct, ratio } from '../format';
import type { ViewContext } from '../main';

type R = any;

interface ReportDef {
  name: string;
  title: string;
  source: string; // the /v1/reports/{source} it reads
  blurb: string;
  render: (r: R) => HTMLElement[];
}

const yes = (b: boolean) => (b ? badge('yes', 'ok') : badge('no', 'off'));

function triggers(r: R): HTMLElement[] {
  const rows: R[] = r.triggers ?? [];
  const labels = rows.map((t) => t.trigger);
  return [
    stats([
      { label: 'upgrades', value: num(r.upgrades), testid: 'report-upgrades' },
      { label: 'base rate', value: pct(r.base_rate), testid: 'report-base-rate' },
      { label: 'triggers', value: num(rows.length) },
      { label: 'best lift', value: rows.length ? ratio(Math.max(...rows.map((t) => t.lift ?? -Infinity))) : DASH },
    ]),
    h(
      'div',
      { class: 'grid2' },
      card('Precision by trigger', barChart(labels, [{ label: 'precision', data: rows.map((t) => t.precision) }, { label: 'recall', data: rows.map((t) => t.recall) }], { percent: true, testid: 'chart-precision' }), { testid: 'card-precision' }),
      card('Lift over the base rate', barChart(labels, [{ label: 'lift', data: rows.map((t) => t.lift), color: '#3a9d6e' }], { testid: 'chart-lift' }), { testid: 'card-lift' }),
    ),
    card(
      'Triggers',
      table<R>(
        [
          { label: 'Trigger', cell: (t) => h('span', { class: 'strong' }, t.trigger) },
          { label: 'Class', cell: (t) => t.class },
          { label: 'Episodes', cell: (t) => num(t.episodes), num: true, testid: (t) => `trigger-episodes-${t.trigger}` },
          { label: 'Accounts', cell: (t) => num(t.accounts), num: true },
          { label: 'Converting', cell: (t) => num(t.converting_firings), num: true },
          { label: 'Precision', cell: (t) => pct(t.precision), num: true, testid: (t) => `trigger-precision-${t.trigger}` },
          { label: 'Recall', cell: (t) => pct(t.recall), num: true, testid: (t) => `trigger-recall-${t.trigger}` },
          { label: 'Lift', cell: (t) => ratio(t.lift), num: true, testid: (t) => `trigger-lift-${t.trigger}` },
          { label: 'Lead days', cell: (t) => dec(t.median_lead_days, 1), num: true },
          { label: 'F1', cell: (t) => ratio(t.f1, 3), num: true },
        ],
        rows,
        { testid: 'triggers-table' },
      ),
      { wide: true },
    ),
  ];
}

function funnel(r: R): HTMLElement[] {
  const stages: [string, string, number][] = [
    ['signals', 'signals', r.signals],
    ['touched', 'touched', r.touched],
    ['touched_within_sla', 'touched within SLA', r.touched_within_sla],
    ['with_opportunity', 'with opportunity', r.with_opportunity],
    ['won', 'won', r.won],
  ];
  const c = r.conversion ?? {};
  const hours = (x: R) => (x && x.n ? `${dec(x.median, 1)} / ${dec(x.p90, 1)} h` : DASH);
  return [
    stats([
      { label: 'signals', value: num(r.signals), testid: 'funnel-signals' },
      { label: 'touched / signals', value: pct(c.touched_per_signal), testid: 'funnel-touched-rate' },
      { label: 'opportunities / touched', value: pct(c.opportunities_per_touched) },
      { label: 'won / opportunities', value: pct(c.won_per_opportunity) },
      { label: 'won / signals', value: pct(c.won_per_signal), testid: 'funnel-won-rate' },
    ]),
    h(
      'div',
      { class: 'grid2' },
      card('Funnel', barChart(stages.map((s) => s[1]), [{ label: 'signals', data: stages.map((s) => s[2]) }], { horizontal: true, testid: 'chart-funnel' }), { testid: 'card-funnel' }),
      card(
        'Stages',
        table<[string, string]>(
          [
            { label: 'Stage', cell: (s) => s[0] },
            { label: 'Count', cell: (s) => s[1], num: true, testid: (s) => `funnel-stage-${s[0].replace(/ /g, '_')}` },
          ],
          [
            ...stages.map(([, label, n]) => [label, num(n)] as [string, string]),
            ['escalated', num(r.escalated)],
            ['lost', num(r.lost)],
            ...Object.entries(r.by_route ?? {}).map(([route, n]) => [`route ${route}`, num(n as number)] as [string, string]),
            ['hours to first touch (median / p90)', hours(r.hours_to_first_touch)],
            ['hours to opportunity (median / p90)', hours(r.hours_to_opportunity)],
          ],
        ),
      ),
    ),
  ];
}

function leaderboard(r: R): HTMLElement[] {
  const rows: R[] = r.leaderboard ?? [];
  const top = rows.slice(0, 20);
  return [
    card('SLA compliance by owner', barChart(top.map((o) => o.owner_id), [{ label: 'SLA compliance', data: top.map((o) => o.sla_compliance) }, { label: 'conversion', data: top.map((o) => o.conversion) }], { percent: true, testid: 'chart-leaderboard' }), { wide: true }),
    card(
      'Leaderboard',
      table<R>(
        [
          { label: '#', cell: (o) => o.rank, num: true },
          { label: 'Owner', cell: (o) => h('span', { class: 'strong' }, o.owner_id), testid: (_o, i) => `leader-owner-${i}` },
          { label: 'Signals', cell: (o) => num(o.signals), num: true },
          { label: 'Within SLA', cell: (o) => num(o.touched_within_sla), num: true },
          { label: 'SLA compliance', cell: (o) => pct(o.sla_compliance), num: true, testid: (o) => `leader-sla-${o.owner_id}` },
          { label: 'Won', cell: (o) => num(o.won), num: true },
          { label: 'Conversion', cell: (o) => pct(o.conversion), num: true },
          { label: 'Credited ARR', cell: (o) => money(o.credited_expansion_arr), num: true, testid: (o) => `leader-arr-${o.owner_id}` },
        ],
        rows,
        { testid: 'leaderboard-table' },
      ),
      { wide: true },
    ),
  ];
}

function nrr(r: R): HTMLElement[] {
  const months: R[] = r.months ?? [];
  const ttm = r.trailing_twelve_months ?? {};
  return [
    stats([
      { label: ttm.start_mrr ? `trailing twelve months NRR (from ${date(ttm.from)})` : `trailing twelve months NRR (no paying cohort on ${date(ttm.from)})`, value: pct(ttm.nrr), testid: 'nrr-ttm' },
      { label: 'TTM start MRR', value: money(ttm.start_mrr) },
      { label: 'TTM expansion MRR', value: money(ttm.expansion_mrr) },
      { label: 'TTM churn MRR', value: money(ttm.churn_mrr), tone: ttm.churn_mrr ? 'tone-warn' : undefined },
    ]),
    card('NRR by month', lineChart(months.map((m) => m.month), [{ label: 'NRR', data: months.map((m) => m.nrr) }], { percent: true, testid: 'chart-nrr' }), { wide: true, testid: 'card-nrr' }),
    card(
      'Months',
      table<R>(
        [
          { label: 'Month', cell: (m) => m.month },
          { label: 'NRR', cell: (m) => pct(m.nrr), num: true, testid: (m) => `nrr-value-${m.month}` },
          { label: 'Change', cell: (m) => (m.change_vs_prior === null ? DASH : `${m.change_vs_prior >= 0 ? '+' : ''}${(m.change_vs_prior * 100).toFixed(1)} pts`), num: true },
          { label: 'Cohort', cell: (m) => num(m.cohort_accounts), num: true },
          { label: 'Start MRR', cell: (m) => money(m.start_mrr), num: true },
          { label: 'Expansion', cell: (m) => money(m.expansion_mrr), num: true },
          { label: 'Contraction', cell: (m) => money(m.contraction_mrr), num: true },
          { label: 'Churn', cell: (m) => money(m.churn_mrr), num: true },
          { label: 'New business', cell: (m) => money(m.new_business_mrr), num: true },
          { label: 'Expansion ARR by AE', cell: (m) => h('span', { class: 'small muted' }, Object.entries(m.expansion_arr_by_ae ?? {}).map(([ae, v]) => `${ae} ${money(v as number)}`).join(' · ')) },
        ],
        months,
        { testid: 'nrr-table' },
      ),
      { wide: true },
    ),
  ];
}

function attribution(r: R): HTMLElement[] {
  const per: R[] = r.per_trigger ?? [];
  const ups: R[] = r.per_upgrade ?? [];
  return [
    stats([
      { label: 'upgrades', value: num(r.upgrades), testid: 'attr-upgrades' },
      { label: 'expansion MRR', value: money(r.expansion_mrr) },
      { label: 'blind spot (no trigger before)', value: num(r.blind_spot), testid: 'attr-blind-spot' },
      { label: 'blind spot share', value: pct(r.blind_spot_share), tone: 'tone-warn' },
    ]),
    card(
      'Expansion MRR credited to each trigger',
      barChart(
        per.map((t) => t.trigger),
        [
          { label: 'first touch', data: per.map((t) => t.first_touch_mrr) },
          { label: 'last touch', data: per.map((t) => t.last_touch_mrr) },
          { label: 'linear', data: per.map((t) => t.linear_mrr) },
        ],
        { testid: 'chart-attribution' },
      ),
      { wide: true },
    ),
    card(
      'Per trigger',
      table<R>(
        [
          { label: 'Trigger', cell: (t) => h('span', { class: 'strong' }, t.trigger) },
          { label: 'Upgrades', cell: (t) => num(t.upgrades), num: true, testid: (t) => `attr-upgrades-${t.trigger}` },
          { label: 'First-touch MRR', cell: (t) => money(t.first_touch_mrr), num: true },
          { label: 'Last-touch MRR', cell: (t) => money(t.last_touch_mrr), num: true },
          { label: 'Linear MRR', cell: (t) => money(t.linear_mrr), num: true },
        ],
        per,
        { testid: 'attribution-table' },
      ),
      { wide: true },
    ),
    card(
      `Upgrades (latest ${Math.min(ups.length, 50)} of ${ups.length})`,
      table<R>(
        [
          { label: 'When', cell: (u) => h('span', { class: 'nowrap' }, date(u.at)) },
          { label: 'Account', cell: (u) => h('a', { href: `#/account/${encodeURIComponent(u.account_id)}` }, u.account_id) },
          { label: 'MRR', cell: (u) => `${money(u.from_mrr)} → ${money(u.to_mrr)}`, num: true },
          { label: 'Expansion', cell: (u) => money(u.expansion_mrr), num: true },
          { label: 'Triggers before', cell: (u) => ((u.triggers ?? []).length ? [...new Set((u.triggers as R[]).map((t) => t.trigger))].map((t) => badge(t as string, 'trigger')) : badge('blind spot', 'warn')) },
          { label: 'Releases adopted', cell: (u) => (u.releases_adopted ?? []).join(', ') || DASH },
        ],
        [...ups].reverse().slice(0, 50),
      ),
      { wide: true },
    ),
  ];
}

function ttv(r: R): HTMLElement[] {
  const groups: [string, R][] = [['any', r.any], ...Object.entries(r.by_class ?? {})];
  return [
    stats([
      { label: 'activated accounts', value: num(r.activated_accounts), testid: 'ttv-activated' },
      { label: 'accounts that reached value', value: num(r.any?.accounts_fired), testid: 'ttv-fired' },
      { label: 'median days to first trigger', value: dec(r.any?.median_days, 1), testid: 'ttv-median' },
      { label: 'p90 days', value: dec(r.any?.p90_days, 1) },
    ]),
    card(
      'Share of activated accounts reaching value within 30 / 60 / 90 days',
      barChart(
        groups.map((g) => g[0]),
        [
          { label: '≤ 30 days', data: groups.map((g) => g[1]?.share_within_30d ?? null) },
          { label: '≤ 60 days', data: groups.map((g) => g[1]?.share_within_60d ?? null) },
          { label: '≤ 90 days', data: groups.map((g) => g[1]?.share_within_90d ?? null) },
        ],
        { percent: true, testid: 'chart-ttv' },
      ),
      { wide: true },
    ),
    card(
      'Days from activation to first firing',
      table<[string, R]>(
        [
          { label: 'Triggers', cell: (g) => h('span', { class: 'strong' }, g[0]) },
          { label: 'Fired', cell: (g) => num(g[1]?.accounts_fired), num: true, testid: (g) => `ttv-fired-${g[0]}` },
          { label: 'Median d', cell: (g) => dec(g[1]?.median_days, 1), num: true, testid: (g) => `ttv-median-${g[0]}` },
          { label: 'p75 d', cell: (g) => dec(g[1]?.p75_days, 1), num: true },
          { label: 'p90 d', cell: (g) => dec(g[1]?.p90_days, 1), num: true },
          { label: '≤ 30 d', cell: (g) => pct(g[1]?.share_within_30d), num: true },
          { label: '≤ 60 d', cell: (g) => pct(g[1]?.share_within_60d), num: true },
          { label: '≤ 90 d', cell: (g) => pct(g[1]?.share_within_90d), num: true },
        ],
        groups,
        { testid: 'ttv-table' },
      ),
      { wide: true },
    ),
  ];
}

function releases(r: R): HTMLElement[] {
  const rows: R[] = r.releases ?? [];
  return [
    card(
      'Upgrade rate within the horizon: adopters vs non-adopters on the tier',
      barChart(
        rows.map((x) => x.feature),
        [
          { label: 'adopters', data: rows.map((x) => x.adopter_upgrade_rate) },
          { label: 'non-adopters', data: rows.map((x) => x.non_adopter_upgrade_rate), color: '#b7c2d3' },
        ],
        { percent: true, testid: 'chart-releases' },
      ),
      { wide: true },
    ),
    card(
      'Releases',
      table<R>(
        [
          { label: 'Feature', cell: (x) => h('span', { class: 'strong' }, x.feature) },
          { label: 'Released', cell: (x) => date(x.released_at) },
          { label: 'Tier', cell: (x) => x.tier || 'all' },
          { label: 'Adoption event', cell: (x) => x.adoption_event },
          { label: 'Adopters (all tiers)', cell: (x) => `${num(x.adopters)} (${num(x.adopters_all_tiers)})`, num: true, testid: (x) => `release-adopters-${x.feature}` },
          { label: 'Adopter upg', cell: (x) => pct(x.adopter_upgrade_rate), num: true },
          { label: 'Non-adopter upg', cell: (x) => pct(x.non_adopter_upgrade_rate), num: true },
          { label: 'Lift', cell: (x) => ratio(x.lift), num: true },
          { label: 'Tier upg before / after', cell: (x) => `${num(x.tier_upgrades_before)} / ${num(x.tier_upgrades_after)}`, num: true },
        ],
        rows,
        { testid: 'releases-table', empty: 'No release records.' },
      ),
      { wide: true },
    ),
  ];
}

function features(r: R): HTMLElement[] {
  const rows: R[] = r.features ?? [];
  const top = rows.filter((f) => f.upgrade_lift !== null).slice(0, 15);
  return [
    card(`Upgrade lift of adopting each feature (used on ≥ ${r.adoption_min_days} days)`, barChart(top.map((f) => f.event), [{ label: 'upgrade lift', data: top.map((f) => f.upgrade_lift) }, { label: 'churn lift', data: top.map((f) => f.churn_lift), color: '#c9485b' }], { testid: 'chart-features' }), { wide: true }),
    card(
      'Features',
      table<R>(
        [
          { label: '#', cell: (f) => f.rank, num: true },
          { label: 'Event', cell: (f) => h('span', { class: 'strong' }, f.event) },
          { label: 'Adopters', cell: (f) => num(f.adopters), num: true, testid: (f) => `feature-adopters-${f.event}` },
          { label: 'Upgrade', cell: (f) => pct(f.adopter_upgrade_rate), num: true },
          { label: 'Others', cell: (f) => pct(f.other_upgrade_rate), num: true },
          { label: 'Lift', cell: (f) => ratio(f.upgrade_lift), num: true, testid: (f) => `feature-lift-${f.event}` },
          { label: 'Churn', cell: (f) => pct(f.adopter_churn_rate), num: true },
          { label: 'Others', cell: (f) => pct(f.other_churn_rate), num: true },
          { label: 'Churn lift', cell: (f) => ratio(f.churn_lift), num: true },
        ],
        rows,
        { testid: 'features-table' },
      ),
      { wide: true },
    ),
  ];
}

function pilot(r: R): HTMLElement[] {
  const p = r.pilot ?? {};
  const c = r.control ?? {};
  const pv = r.p_values ?? {};
  const rates: [string, string][] = [
    ['signal_to_opportunity', 'signal → opportunity'],
    ['opportunity_to_won', 'opportunity → won'],
    ['sla_compliance', 'SLA compliance'],
  ];
  const counts: [string, string][] = [
    ['owners', 'owners'],
    ['signals', 'signals'],
    ['opportunities', 'opportunities'],
    ['won', 'won'],
    ['touched', 'touched'],
    ['touched_within_sla', 'touched within SLA'],
  ];
  return [
    card('Pilot vs control', barChart(rates.map((x) => x[1]), [{ label: 'pilot', data: rates.map((x) => p[x[0]]) }, { label: 'control', data: rates.map((x) => c[x[0]]), color: '#b7c2d3' }], { percent: true, testid: 'chart-pilot' }), { wide: true }),
    card(
      'Groups',
      table<[string, string, boolean]>(
        [
          { label: '', cell: (x) => x[1] },
          { label: 'Pilot', cell: (x) => (x[2] ? pct(p[x[0]]) : num(p[x[0]])), num: true, testid: (x) => `pilot-${x[0]}` },
          { label: 'Control', cell: (x) => (x[2] ? pct(c[x[0]]) : num(c[x[0]])), num: true, testid: (x) => `control-${x[0]}` },
          { label: 'p-value', cell: (x) => (x[2] ? ratio(pv[x[0]], 4) : ''), num: true },
        ],
        [
          ...counts.map(([k, l]) => [k, l, false] as [string, string, boolean]),
          ...rates.map(([k, l]) => [k, l, true] as [string, string, boolean]),
          ['median_hours_to_first_touch', 'median hours to first touch', false],
        ],
        { testid: 'pilot-table' },
      ),
      { wide: true },
    ),
  ];
}

function audit(r: R): HTMLElement[] {
  const rows: R[] = r.events ?? [];
  return [
    stats([
      { label: 'events', value: num(rows.length), testid: 'audit-events' },
      { label: 'trigger-grade', value: num(rows.filter((e) => e.trigger_grade).length), testid: 'audit-trigger-grade' },
      { label: 'unattributed events', value: num(r.unattributed_events) },
      { label: 'quarantined messages', value: num(r.quarantined_messages) },
      { label: 'duplicate messages', value: num(r.duplicate_messages) },
    ]),
    card(
      'Event inventory',
      table<R>(
        [
          { label: 'Event', cell: (e) => h('span', { class: 'strong' }, e.event) },
          { label: 'Count', cell: (e) => num(e.count), num: true, testid: (e) => `audit-count-${e.event}` },
          { label: 'Accounts', cell: (e) => num(e.accounts), num: true },
          { label: 'Users', cell: (e) => num(e.users), num: true },
          { label: 'First', cell: (e) => h('span', { class: 'nowrap' }, date(e.first_seen)) },
          { label: 'Last', cell: (e) => h('span', { class: 'nowrap' }, date(e.last_seen)) },
          { label: 'Reliable', cell: (e) => yes(e.fires_reliably) },
          { label: 'Revenue', cell: (e) => yes(e.maps_to_revenue) },
          { label: 'Distinct', cell: (e) => yes(e.distinct) },
          { label: 'Trigger-grade', cell: (e) => yes(e.trigger_grade) },
          {
            label: 'Missing properties',
            cell: (e) =>
              h(
                'span',
                { class: 'small muted' },
                (e.properties as R[])
                  .filter((p) => p.missing_share > 0)
                  .map((p) => `${p.property} ${pct(p.missing_share)}`)
                  .join(' · ') || DASH,
              ),
          },
        ],
        rows,
        { testid: 'audit-table' },
      ),
      { wide: true },
    ),
    Object.keys(r.non_numeric_sum_values ?? {}).length
      ? card('Non-numeric values in sum metrics', table<[string, number]>([{ label: 'Metric', cell: (x) => x[0] }, { label: 'Occurrences', cell: (x) => num(x[1]), num: true }], Object.entries(r.non_numeric_sum_values)))
      : h('span'),
  ];
}

export const REPORTS: ReportDef[] = [
  { name: 'triggers', title: 'Triggers', source: 'triggers', blurb: 'Which triggers predict upgrades: precision, recall and lift over the base rate.', render: triggers },
  { name: 'funnel', title: 'Funnel', source: 'funnel', blurb: 'Signals through touch, opportunity and close, by their final state.', render: funnel },
  { name: 'leaderboard', title: 'Leaderboard', source: 'funnel', blurb: 'Owners ranked by SLA compliance, with conversion and credited expansion ARR.', render: leaderboard },
  { name: 'nrr', title: 'NRR', source: 'nrr', blurb: 'Net revenue retention by calendar month and over the trailing twelve months.', render: nrr },
  { name: 'attribution', title: 'Attribution', source: 'attribution', blurb: 'Why accounts upgraded: the triggers that fired before each upgrade, and the blind spot.', render: attribution },
  { name: 'ttv', title: 'Time to value', source: 'ttv', blurb: 'Days from activation to the first trigger firing.', render: ttv },
  { name: 'releases', title: 'Releases', source: 'releases', blurb: 'Feature releases: adoption and the upgrade rate of adopters vs the rest of the tier.', render: releases },
  { name: 'features', title: 'Features', source: 'features', blurb: 'Sticky features: upgrade and churn rates of adopting accounts vs the others.', render: features },
  { name: 'pilot', title: 'Pilot vs control', source: 'pilot', blurb: 'Owners in the pilot group vs the control group, with two-proportion z-tests.', render: pilot },
  { name: 'audit', title: 'Event audit', source: 'audit', blurb: 'The event inventory: which events are reliable, map to revenue and are distinct.', render: audit },
];

export async function renderReport(ctx: ViewContext): Promise<void> {
  const def = REPORTS.find((r) => r.name === ctx.params[0]);
  if (!def) {
    ctx.root.append(h('div', { class: 'error-box' }, `No report named '${ctx.params[0]}'.`));
    return;
  }
  const r = await api.report(def.source);
  ctx.root.append(
    h(
      'div',
      { class: 'view-head', testid: `report-${def.name}` },
      h('h1', null, def.title),
      h('p', { class: 'muted' }, def.blurb, ` As of ${dateTime(r.as_of)} UTC, horizon ${r.horizon_days} days.`),
    ),
    ...def.render(r),
  );
}
