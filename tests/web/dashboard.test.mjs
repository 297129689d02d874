// Browser tests of the Headroom dashboard (issue 6).
//
//   node tests/web/dashboard.test.mjs --headroom build/headroom --web web/dist
//
// Generates a small demo company with the real binary (`headroom demo --accounts
// 60 --months 6 --seed 7 --listen 127.0.0.1:0 --web DIST`), waits for its
// `dashboard: http://127.0.0.1:<port>/` line, then drives Debian's chromium
// (playwright-core, headless) through every view and compares the figures on
// screen with the API's own answers, fetched here. Fails on any request that
// leaves loopback and on any console error. Screenshots of every view go to
// $HEADROOM_ARTIFACTS (default <dir of the headroom binary>/web-artifacts).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const CHROMIUM = process.env.HEADROOM_CHROMIUM ?? '/usr/bin/chromium';
const TOKEN = 'tok_demo';

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const headroomBin = path.resolve(arg('headroom', process.env.HEADROOM_BIN ?? path.join(repo, 'build/headroom')));
const webDist = path.resolve(arg('web', process.env.HEADROOM_WEB ?? path.join(repo, 'web/dist')));
const artifacts = path.resolve(process.env.HEADROOM_ARTIFACTS ?? arg('artifacts', path.join(path.dirname(headroomBin), 'web-artifacts')));

// ---- the same formatting as web/src/format.ts (what the page must show) ----
const DASH = '–';
const bad = (v) => v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v));
const fmt = {
  num: (v) => (bad(v) ? DASH : v.toLocaleString('en-US', { maximumFractionDigits: 0 })),
  pct: (v) => (bad(v) ? DASH : (v * 100).toFixed(1) + '%'),
  ratio: (v, d = 2) => (bad(v) ? DASH : v.toFixed(d)),
  value: (v) => {
    if (bad(v)) return DASH;
    if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString('en-US') : v.toLocaleString('en-US', { maximumFractionDigits: 3 });
    if (typeof v === 'string') return v;
    return JSON.stringify(v);
  },
  dateTime: (iso) => (iso ? iso.slice(0, 10) + ' ' + iso.slice(11, 16) : DASH),
};

// ---- fixtures: preflight, the demo server, the browser ----
let server; // child process
let baseUrl;
let dataDir;
let context; // playwright persistent context
let page;
const offLoopback = [];
const consoleErrors = [];
let allowed401 = false;

function preflight() {
  const problems = [];
  if (!existsSync(path.join(webDist, 'index.html'))) problems.push(`no built dashboard at ${webDist}: run scripts/build-web.sh`);
  if (!existsSync(CHROMIUM)) problems.push(`no ${CHROMIUM}: run scripts/setup.sh (it installs Debian's chromium)`);
  if (!existsSync(headroomBin)) problems.push(`no headroom binary at ${headroomBin}: build it first`);
  if (!existsSync(path.join(repo, 'web/node_modules/playwright-core'))) problems.push('playwright-core is not installed in web/node_modules: run scripts/build-web.sh');
  if (problems.length) throw new Error('web_dashboard cannot run:\n  ' + problems.join('\n  '));
}

function startDemo() {
  dataDir = mkdtempSync(path.join(tmpdir(), 'headroom-web-'));
  const args = ['demo', '--accounts', '60', '--months', '6', '--seed', '7', '--data', path.join(dataDir, 'data'), '--listen', '127.0.0.1:0', '--web', webDist];
  server = spawn(headroomBin, args, { cwd: dataDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`headroom demo printed no dashboard line in 240 s; stdout:\n${out}\nstderr:\n${err.slice(-2000)}`)), 240_000);
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/^dashboard: (http:\/\/127\.0\.0\.1:\d+\/) \(API token (\S+)\)$/m);
      if (m) {
        clearTimeout(timer);
        assert.equal(m[2], TOKEN, 'the demo prints its API token');
        resolve(m[1]);
      }
    });
    server.stderr.on('data', (chunk) => (err += chunk));
    server.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`headroom demo exited (${code ?? signal}) before serving; stdout:\n${out}\nstderr:\n${err.slice(-2000)}`));
    });
  });
}

async function apiGet(p) {
  const res = await fetch(new URL(p, baseUrl), { headers: { Authorization: `Bearer ${TOKEN}` } });
  const body = await res.json();
  assert.equal(res.status, 200, `GET ${p}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

async function launchBrowser() {
  const require = createRequire(path.join(repo, 'web/package.json'));
  const { chromium } = require('playwright-core');
  const profile = mkdtempSync(path.join(tmpdir(), 'headroom-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1366, height: 768 },
  });
  context.profileDir = profile;
  // Every request that is not to loopback is aborted and recorded.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    let host = '';
    try {
      host = new URL(url).hostname;
    } catch {
      /* not a URL with a host */
    }
    if (host === '127.0.0.1' || host === 'localhost' || host === '[::1]') return route.continue();
    offLoopback.push(url);
    return route.abort();
  });
  context.on('request', (req) => {
    const u = req.url();
    if (/^(https?|wss?):/.test(u) && !/^(https?|wss?):\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(u) && !offLoopback.includes(u)) offLoopback.push(u);
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    if (allowed401 && /status of 401/.test(msg.text())) return;
    consoleErrors.push(msg.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(`page error: ${e.message}`));
}

async function shot(name) {
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
}

// Navigates to a hash route and waits until the view finished loading.
async function open(hash) {
  await page.evaluate((h) => {
    document.querySelector('main.content')?.removeAttribute('data-ready');
    location.hash = h;
  }, hash);
  await page.waitForSelector('main.content[data-ready]', { timeout: 60_000 });
  const state = await page.getAttribute('main.content', 'data-ready');
  if (state !== 'true') assert.fail(`view ${hash} failed: ${await page.textContent('main.content')}`);
}

async function text(testid) {
  const el = page.locator(`[data-testid="${testid}"]`);
  assert.equal(await el.count(), 1, `exactly one [data-testid=${testid}]`);
  return (await el.textContent()).trim();
}

// Canvases (Chart.js) drawn with a nonzero size.
async function assertCharts(minimum) {
  await page.waitForTimeout(100); // charts draw on the next animation frame
  const sizes = await page.$$eval('main canvas', (cs) => cs.map((c) => [c.width, c.height, c.getBoundingClientRect().width, c.getBoundingClientRect().height]));
  assert.ok(sizes.length >= minimum, `at least ${minimum} chart canvas(es), found ${sizes.length}`);
  for (const s of sizes) assert.ok(s.every((n) => n > 0), `chart canvas has a nonzero size: ${s}`);
}

before(async () => {
  preflight();
  mkdirSync(artifacts, { recursive: true });
  baseUrl = await startDemo();
  await launchBrowser();
});

after(async () => {
  await context?.close();
  if (context?.profileDir) rmSync(context.profileDir, { recursive: true, force: true });
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

// ---- the flow (tests run in order and share the page) ----

test('the page loads without a token and asks for one', async () => {
  const res = await fetch(baseUrl);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/html/);
  await page.goto(baseUrl);
  await page.waitForSelector('[data-testid="login-form"]');
  await shot('01-login');
  allowed401 = true;
  await page.fill('[data-testid="login-token"]', 'tok_wrong');
  await page.click('[data-testid="login-submit"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="login-error"]')?.textContent?.includes('refused'));
  allowed401 = false;
  assert.equal(await page.evaluate(() => localStorage.getItem('headroom.token')), null, 'a refused token is not stored');
  await page.fill('[data-testid="login-token"]', TOKEN);
  await page.click('[data-testid="login-submit"]');
  await page.waitForSelector('main.content[data-ready="true"]', { timeout: 60_000 });
  assert.equal(await page.evaluate(() => localStorage.getItem('headroom.token')), TOKEN);
});

test('PQA queue: ranking, top account name and score, engine clock', async () => {
  const [accounts, status] = await Promise.all([apiGet('/v1/accounts'), apiGet('/v1/status')]);
  assert.ok(accounts.length > 0, 'the demo has accounts');
  assert.ok(status.clock, 'the demo has a clock');
  assert.equal(status.live_clock, false, 'the demo serves with the live clock off');
  assert.equal(await text('clock'), `${fmt.dateTime(status.clock)} UTC`);
  const top = accounts[0];
  const name = await text('queue-name-0');
  assert.ok(name.includes(top.name ?? top.account_id) && name.includes(top.account_id), `top row shows ${top.name} (${top.account_id}), got '${name}'`);
  assert.equal(await text('queue-score-0'), fmt.num(top.score));
  assert.equal(await text('queue-route-0'), top.route);
  assert.equal(await page.locator('[data-testid^="queue-row-"]').count(), accounts.length, 'one row per account');
  const last = accounts.length - 1;
  assert.equal(await text(`queue-score-${last}`), fmt.num(accounts[last].score));
  // The stacked bar has one segment per nonzero part.
  const p = top.parts;
  const nonzero = [p.firmographic, p.usage.capacity, p.usage.adoption, p.usage.value, p.committee].filter((x) => x > 0).length;
  assert.equal(await page.locator('[data-testid="queue-bar-0"] .seg').count(), nonzero);
  await shot('02-queue');
  // Route filter: the API's answer for route=ae.
  const ae = await apiGet('/v1/accounts?route=ae');
  await page.click('[data-testid="route-filter"] button[data-route="ae"]');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid^="queue-row-"]').length === n || (n === 0 && document.querySelector('[data-testid="queue-table"]')?.tagName === 'P'), ae.length);
  if (ae.length) assert.equal(await text('queue-score-0'), fmt.num(ae[0].score));
  await page.click('[data-testid="route-filter"] button[data-route="all"]');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid^="queue-row-"]').length === n, accounts.length);
});

test('account page: every evidence row matches /v1/accounts/{id}', async () => {
  const accounts = await apiGet('/v1/accounts');
  const top = accounts[0];
  // The queue's data-ready must not be mistaken for the account page's: the
  // click changes the hash, and the page renders on the (later) hashchange.
  await page.evaluate(() => document.querySelector('main.content')?.removeAttribute('data-ready'));
  await page.locator('[data-testid="queue-row-0"]').click();
  await page.waitForFunction((id) => location.hash === `#/account/${encodeURIComponent(id)}`, top.account_id);
  await page.waitForSelector('main.content[data-ready="true"]', { timeout: 60_000 });
  const detail = await apiGet(`/v1/accounts/${encodeURIComponent(top.account_id)}`);
  assert.equal(await text('account-name'), detail.name ?? detail.account_id);
  assert.equal(await text('account-score'), fmt.num(detail.score));
  let rows = 0;
  for (const [category, entries] of Object.entries(detail.evidence)) {
    if (!Array.isArray(entries)) continue;
    for (const e of entries) {
      const id = `evidence-${category}-${e.name}`;
      assert.equal(await page.locator(`[data-testid="${id}"]`).count(), 1, `evidence row ${id}`);
      assert.equal(await text(`${id}-value`), fmt.value(e.value), `${id} value`);
      const points = e.max_points !== undefined ? `${fmt.value(e.points)} / ${fmt.value(e.max_points)}` : fmt.value(e.points);
      assert.equal(await text(`${id}-points`), points, `${id} points`);
      assert.equal(await text(`${id}-holds`), e.holds === true ? 'holds' : e.holds === false ? 'no' : DASH, `${id} holds`);
      rows++;
    }
  }
  assert.ok(rows > 0, 'the top account has evidence rows');
  // Sparklines: the score and every metric, drawn.
  const series = await apiGet(`/v1/accounts/${encodeURIComponent(top.account_id)}/series?days=90`);
  assert.equal(series.days.length, 90);
  const names = ['score', ...Object.keys(series.metrics)];
  for (const n of names) {
    const box = await page.locator(`[data-testid="spark-${n}"] svg`).boundingBox();
    assert.ok(box && box.width > 0 && box.height > 0, `sparkline ${n} has a size`);
  }
  assert.ok((await page.locator('[data-testid="sparklines"] svg path').count()) >= 1, 'at least one sparkline has a line');
  // Episodes: one table row per firing of the account.
  const firings = await apiGet(`/v1/firings?account=${encodeURIComponent(top.account_id)}`);
  assert.equal(await page.locator('[data-testid="firings-table"] tbody tr').count(), firings.length);
  // Signal history: one block per signal.
  const signals = await apiGet(`/v1/signals?account=${encodeURIComponent(top.account_id)}`);
  for (const s of signals) assert.equal(await page.locator(`[data-testid="signal-${s.signal_id}"]`).count(), 1, `signal ${s.signal_id} shown`);
  await shot('03-account');
});

test('signals board: columns by status, SLA countdowns against W', async () => {
  await open('#/signals');
  const [signals, status] = await Promise.all([apiGet('/v1/signals'), apiGet('/v1/status')]);
  assert.ok(signals.length > 0, 'the demo has signals');
  for (const st of ['open', 'opportunity', 'won', 'lost', 'expired', 'suppressed']) {
    assert.equal(await text(`signals-count-${st}`), String(signals.filter((s) => s.status === st).length), `column ${st}`);
  }
  const W = Date.parse(status.clock);
  const live = signals.filter((s) => (s.status === 'open' || s.status === 'opportunity') && s.touch_due && !s.first_touch_at);
  const overdue = live.filter((s) => Date.parse(s.touch_due) < W);
  assert.equal(await text('stat-overdue'), fmt.num(overdue.length));
  assert.equal(await text('stat-open'), fmt.num(signals.filter((s) => s.status === 'open').length));
  for (const s of live.slice(0, 5)) {
    const sla = await text(`sla-${s.signal_id}`);
    const isOverdue = Date.parse(s.touch_due) < W;
    assert.match(sla, isOverdue ? /^overdue / : /^touch due in /, `SLA of ${s.signal_id}`);
    assert.equal(await page.locator(`[data-testid="sla-${s.signal_id}"].overdue`).count(), isOverdue ? 1 : 0);
  }
  const escalated = signals.filter((s) => s.escalated_at && (s.status === 'open' || s.status === 'opportunity'));
  if (escalated.length) assert.match(await text(`escalated-${escalated[0].signal_id}`), /^escalated /);
  await shot('04-signals');
});

test('reports: every view renders, charts draw, figures match the API', async () => {
  const checks = {
    triggers: async (r) => {
      assert.ok(r.triggers.length > 0);
      for (const t of r.triggers) {
        assert.equal(await text(`trigger-precision-${t.trigger}`), fmt.pct(t.precision), `${t.trigger} precision`);
        assert.equal(await text(`trigger-lift-${t.trigger}`), fmt.ratio(t.lift), `${t.trigger} lift`);
        assert.equal(await text(`trigger-episodes-${t.trigger}`), fmt.num(t.episodes), `${t.trigger} episodes`);
      }
      assert.equal(await text('report-base-rate'), fmt.pct(r.base_rate));
      await assertCharts(2);
    },
    funnel: async (r) => {
      assert.equal(await text('funnel-signals'), fmt.num(r.signals));
      assert.equal(await text('funnel-won-rate'), fmt.pct(r.conversion.won_per_signal));
      await assertCharts(1);
    },
    leaderboard: async (r) => {
      assert.ok(r.leaderboard.length > 0);
      const o = r.leaderboard[0];
      assert.equal(await text('leader-owner-0'), o.owner_id);
      assert.equal(await text(`leader-sla-${o.owner_id}`), fmt.pct(o.sla_compliance));
      await assertCharts(1);
    },
    nrr: async (r) => {
      assert.ok(r.months.length > 0);
      for (const m of r.months) assert.equal(await text(`nrr-value-${m.month}`), fmt.pct(m.nrr), `NRR of ${m.month}`);
      assert.equal(await text('nrr-ttm'), fmt.pct(r.trailing_twelve_months.nrr));
      await assertCharts(1);
    },
    attribution: async (r) => {
      assert.equal(await text('attr-upgrades'), fmt.num(r.upgrades));
      assert.equal(await text('attr-blind-spot'), fmt.num(r.blind_spot));
      await assertCharts(1);
    },
    ttv: async (r) => {
      assert.equal(await text('ttv-activated'), fmt.num(r.activated_accounts));
      assert.equal(await text('ttv-fired-any'), fmt.num(r.any.accounts_fired));
      await assertCharts(1);
    },
    releases: async (r) => {
      for (const x of r.releases) assert.equal(await text(`release-adopters-${x.feature}`), `${fmt.num(x.adopters)} (${fmt.num(x.adopters_all_tiers)})`);
      await assertCharts(1);
    },
    features: async (r) => {
      assert.ok(r.features.length > 0);
      const f = r.features[0];
      assert.equal(await text(`feature-lift-${f.event}`), fmt.ratio(f.upgrade_lift));
      await assertCharts(1);
    },
    pilot: async (r) => {
      assert.equal(await text('pilot-signals'), fmt.num(r.pilot.signals));
      assert.equal(await text('control-signals'), fmt.num(r.control.signals));
      assert.equal(await text('pilot-signal_to_opportunity'), fmt.pct(r.pilot.signal_to_opportunity));
      await assertCharts(1);
    },
    audit: async (r) => {
      assert.equal(await text('audit-events'), fmt.num(r.events.length));
      for (const e of r.events.slice(0, 5)) assert.equal(await text(`audit-count-${e.event}`), fmt.num(e.count));
    },
  };
  let n = 5;
  for (const [name, check] of Object.entries(checks)) {
    await open(`#/reports/${name}`);
    const source = name === 'leaderboard' ? 'funnel' : name;
    const r = await apiGet(`/v1/reports/${source}`);
    await check(r);
    await shot(`${String(n++).padStart(2, '0')}-report-${name}`);
  }
});

test('backtest: a grid run from the page equals /v1/backtest', async () => {
  await open('#/backtest');
  const trigger = await page.$eval('[data-testid="backtest-trigger"]', (s) => s.value);
  await page.fill('[data-testid="backtest-axes"] .axis-values', '20,30');
  await page.selectOption('[data-testid="backtest-axes"] .axis-key', 'hold_days');
  await page.click('[data-testid="backtest-run"]');
  await page.waitForSelector('[data-testid="backtest-table"], [data-testid="backtest-error"]', { timeout: 120_000 });
  const r = await apiGet(`/v1/backtest?trigger=${encodeURIComponent(trigger)}&set=hold_days%3D20%2C30`);
  assert.equal(await page.locator('[data-testid="backtest-error"]').count(), 0, 'the backtest ran');
  assert.equal(await text('backtest-count'), fmt.num(r.combinations.length));
  for (let i = 0; i < r.combinations.length; i++) {
    assert.equal(await text(`backtest-f1-${i}`), fmt.ratio(r.combinations[i].f1, 3), `row ${i} F1`);
    assert.equal(await text(`backtest-precision-${i}`), fmt.pct(r.combinations[i].precision), `row ${i} precision`);
  }
  await shot('15-backtest');
});

test('the token persists across reloads; signing out returns to login', async () => {
  await page.reload();
  await page.waitForSelector('main.content[data-ready="true"]', { timeout: 60_000 });
  await page.click('[data-testid="logout"]');
  await page.waitForSelector('[data-testid="login-form"]');
  assert.equal(await page.evaluate(() => localStorage.getItem('headroom.token')), null);
});

test('no request left loopback and the console stayed clean', () => {
  assert.deepEqual(offLoopback, [], 'requests that left loopback');
  assert.deepEqual(consoleErrors, [], 'console errors');
});
