// Backtest (#/backtest): pick a trigger (names from /v1/reports/triggers) and a
// parameter grid, run GET /v1/backtest?trigger=&set=KEY=V1,V2[&set=…][&horizon=]
// (synchronous on the server) and show the combinations sorted by F1, the
// configured one marked.

import { api, ApiError } from '../api';
import { card, clear, h, stats, table } from '../dom';
import { DASH, dateTime, dec, num, pct, ratio } from '../format';
import type { ViewContext } from '../main';

const KEYS = ['at', 'sustained_days', 'buffer', 'hold_days', 'within_days_of_activation', 'min_denominator'];

function axisRow(key = 'at', values = ''): HTMLElement {
  const select = h('select', { class: 'axis-key' }, KEYS.map((k) => h('option', { value: k, selected: k === key }, k)));
  const input = h('input', { class: 'axis-values', type: 'text', value: values, placeholder: '0.7,0.8,0.9' });
  const row = h('div', { class: 'axis-row' }, select, input);
  row.appendChild(h('button', { class: 'btn btn-ghost', type: 'button', title: 'Remove this axis', onclick: () => row.remove() }, '×'));
  return row;
}

function resultView(r: any): HTMLElement {
  const rows: any[] = r.combinations ?? [];
  const keys = [...new Set(rows.flatMap((x) => Object.keys(x.combination ?? {})))];
  return h(
    'div',
    { testid: 'backtest-result' },
    stats([
      { label: 'combinations', value: num(rows.length), testid: 'backtest-count' },
      { label: 'inputs replayed', value: num(r.inputs_replayed) },
      { label: 'log reads', value: num(r.log_reads) },
      { label: 'horizon', value: `${r.horizon_days} days` },
    ]),
    h('p', { class: 'muted small' }, `${r.trigger} as of ${dateTime(r.as_of)} UTC, sorted by F1; the configured combination is marked.`),
    table<any>(
      [
        { label: '', cell: (x) => (x.configured ? h('span', { class: 'badge badge-trigger', title: 'the configured combination' }, 'configured') : '') },
        ...keys.map((k) => ({ label: k, cell: (x: any) => (x.combination?.[k] === null || x.combination?.[k] === undefined ? DASH : dec(x.combination[k], 3)), num: true })),
        { label: 'Episodes', cell: (x) => num(x.episodes), num: true, testid: (_x, i) => `backtest-episodes-${i}` },
        { label: 'Accounts', cell: (x) => num(x.accounts), num: true },
        { label: 'Precision', cell: (x) => pct(x.precision), num: true, testid: (_x, i) => `backtest-precision-${i}` },
        { label: 'Recall', cell: (x) => pct(x.recall), num: true },
        { label: 'Lift', cell: (x) => ratio(x.lift), num: true },
        { label: 'Lead days', cell: (x) => dec(x.median_lead_days, 1), num: true },
        { label: 'F1', cell: (x) => ratio(x.f1, 3), num: true, testid: (_x, i) => `backtest-f1-${i}` },
      ],
      rows,
      { testid: 'backtest-table', rowAttrs: (x) => ({ class: x.configured ? 'row-holds' : undefined }) },
    ),
  );
}

export async function renderBacktest(ctx: ViewContext): Promise<void> {
  const report = await api.report('triggers');
  const triggers: any[] = report.triggers ?? [];
  const triggerSelect = h('select', { testid: 'backtest-trigger', id: 'bt-trigger' }, triggers.map((t) => h('option', { value: t.trigger }, `${t.trigger} (${t.class})`)));
  const axes = h('div', { class: 'axes', testid: 'backtest-axes' }, axisRow('at', ''));
  const horizon = h('input', { type: 'number', min: '1', id: 'bt-horizon', placeholder: String(report.horizon_days), testid: 'backtest-horizon' });
  const output = h('div', { class: 'backtest-output' }, h('p', { class: 'muted' }, 'Choose a trigger and at least one axis, then run. Every axis is a list of values; the grid is their product, and the configured combination is always added.'));
  const runButton = h('button', { class: 'btn btn-primary', type: 'submit', testid: 'backtest-run' }, 'Run backtest');

  const form = h(
    'form',
    {
      class: 'backtest-form',
      testid: 'backtest-form',
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        const sets = [...axes.querySelectorAll('.axis-row')]
          .map((row) => {
            const key = (row.querySelector('.axis-key') as HTMLSelectElement).value;
            const values = (row.querySelector('.axis-values') as HTMLInputElement).value.replace(/\s+/g, '');
            return values ? `${key}=${values}` : '';
          })
          .filter(Boolean);
        clear(output);
        if (sets.length === 0) {
          output.appendChild(h('div', { class: 'error-box', testid: 'backtest-error' }, 'Give at least one axis some values.'));
          return;
        }
        runButton.disabled = true;
        output.appendChild(h('p', { class: 'muted', testid: 'backtest-running' }, `Replaying the stored history for ${triggerSelect.value} over ${sets.join(' × ')}…`));
        try {
          const r = await api.backtest(triggerSelect.value, sets, horizon.value ? Number(horizon.value) : undefined);
          if (!ctx.current()) return;
          clear(output);
          output.appendChild(resultView(r));
        } catch (e) {
          if (!ctx.current() || (e instanceof ApiError && e.status === 401)) return;
          clear(output);
          output.appendChild(h('div', { class: 'error-box', testid: 'backtest-error' }, (e as Error).message));
        } finally {
          runButton.disabled = false;
        }
      },
    },
    h('div', { class: 'form-row' }, h('label', { for: 'bt-trigger' }, 'Trigger'), triggerSelect),
    h('div', { class: 'form-row' }, h('label', null, 'Parameter grid'), h('div', null, axes, h('button', { class: 'btn btn-ghost', type: 'button', onclick: () => axes.appendChild(axisRow('sustained_days')) }, '+ add axis'))),
    h('div', { class: 'form-row' }, h('label', { for: 'bt-horizon' }, 'Horizon (days)'), horizon),
    h('div', { class: 'form-row' }, h('label'), runButton),
  );

  ctx.root.append(
    h('div', { class: 'view-head' }, h('h1', null, 'Backtest'), h('p', { class: 'muted' }, 'Replay the stored history with other trigger parameters and compare how well each combination predicts upgrades.')),
    h('div', { class: 'grid-bt' }, card('Grid', form, { testid: 'backtest-card' }), card('Result', output, { testid: 'backtest-output' })),
  );
}
