// The dashboard's API client. The token is asked for once (login view) and
// kept in localStorage; every call sends `Authorization: Bearer <token>` to the
// same origin that served the page. A 401 forgets the token and sends the user
// back to the login view; any other non-2xx throws ApiError with the server's
// `{"error": ...}` text.

const TOKEN_KEY = 'headroom.token';

export class ApiError extends Error {
  constructor(
    public status: number,
    message: string,
  ) {
    super(message);
  }
}

export function getToken(): string | null {
  return localStorage.getItem(TOKEN_KEY);
}

export function setToken(token: string): void {
  localStorage.setItem(TOKEN_KEY, token);
}

export function clearToken(): void {
  localStorage.removeItem(TOKEN_KEY);
}

let onUnauthorized: (message: string) => void = () => {};
export function setUnauthorizedHandler(fn: (message: string) => void): void {
  onUnauthorized = fn;
}

type Query = Record<string, string | number | undefined | null | (string | number)[]>;

function url(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) for (const item of v) params.append(k, String(item));
    else params.append(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export async function get<T>(path: string, query?: Query, token = getToken()): Promise<T> {
  const res = await fetch(url(path, query), {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  const err = (body as { error?: string } | null)?.error ?? `${res.status} ${res.statusText}`;
  if (res.status === 401) {
    clearToken();
    onUnauthorized(err);
    throw new ApiError(401, err);
  }
  if (!res.ok) throw new ApiError(res.status, err);
  return body as T;
}

// ---- shapes (SPEC 6.3, docs/API.md, docs/REPORTS.md); only the keys the views read.

export interface Parts {
  firmographic: number;
  usage: { capacity: number; adoption: number; value: number };
  committee: number;
}

export interface Account {
  account_id: string;
  name: string | null;
  score: number;
  parts: Parts;
  route: 'ae' | 'csm' | 'nurture' | 'suppressed';
  suppressed_by: string[];
  active_triggers: string[];
  owners: { ae: string | null; csm: string | null };
  evaluated_at: string | null;
}

export interface EvidenceRow {
  [key: string]: unknown;
}

export interface AccountDetail extends Account {
  evidence: unknown;
  metrics: Record<string, unknown>;
  contract: Record<string, unknown> | null;
  signal: Signal | null;
}

export interface SignalChange {
  at: string;
  change: string;
  [key: string]: unknown;
}

export interface Signal {
  signal_id: string;
  account_id: string;
  route: string;
  owner: string;
  status: 'open' | 'opportunity' | 'won' | 'lost' | 'expired' | 'suppressed';
  close_reason: string | null;
  score: number;
  motion: string;
  triggers: string[];
  created_at: string;
  routed_at: string | null;
  touch_due: string | null;
  first_touch_at: string | null;
  touched_within_sla: boolean | null;
  escalated_at: string | null;
  escalated_to: string[] | null;
  opportunity_id: string | null;
  closed_at: string | null;
  amount: number | null;
  credit: Record<string, number> | null;
  history: SignalChange[];
}

export interface Firing {
  account_id: string;
  trigger: string;
  class: string;
  fired_at: string;
  urgent_at: string | null;
  ended_at: string | null;
}

export interface Status {
  clock: string | null;
  live_clock: boolean;
  inputs: number;
  accounts: number;
  open_signals: number;
}

export interface Series {
  account_id: string;
  days: string[];
  score: (number | null)[];
  metrics: Record<string, (number | null)[]>;
}

export const api = {
  status: () => get<Status>('/v1/status'),
  accounts: (route?: string, limit?: number) => get<Account[]>('/v1/accounts', { route, limit }),
  account: (id: string) => get<AccountDetail>(`/v1/accounts/${encodeURIComponent(id)}`),
  series: (id: string, days = 90) => get<Series>(`/v1/accounts/${encodeURIComponent(id)}/series`, { days }),
  signals: (query: { status?: string; owner?: string; account?: string } = {}) => get<Signal[]>('/v1/signals', query),
  firings: (query: { account?: string; trigger?: string } = {}) => get<Firing[]>('/v1/firings', query),
  report: (name: string) => get<any>(`/v1/reports/${encodeURIComponent(name)}`),
  backtest: (trigger: string, sets: string[], horizon?: number) => get<any>('/v1/backtest', { trigger, set: sets, horizon }),
};
