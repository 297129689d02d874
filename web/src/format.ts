// Number and date formatting shared by every view. Every function takes the
// API's value as is (numbers, ISO-8601 strings, or null) and returns display
// text; null and undefined become an en dash.

export const DASH = '–';

function missing(v: unknown): v is null | undefined {
  return v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v));
}

// 1234567 -> "1,234,567"; fractional values keep up to `digits` decimals.
export function num(v: number | null | undefined, digits = 0): string {
  if (missing(v)) return DASH;
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

// Up to `digits` decimals, trailing zeros dropped: 23 -> "23", 25.66 -> "25.7".
export function dec(v: number | null | undefined, digits = 1): string {
  if (missing(v)) return DASH;
  return v.toLocaleString('en-US', { maximumFractionDigits: digits });
}

// A share 0..1 -> "53.6%".
export function pct(v: number | null | undefined, digits = 1): string {
  if (missing(v)) return DASH;
  return (v * 100).toFixed(digits) + '%';
}

// Lift and other ratios: 1.6215 -> "1.62".
export function ratio(v: number | null | undefined, digits = 2): string {
  if (missing(v)) return DASH;
  return v.toFixed(digits);
}

export function money(v: number | null | undefined): string {
  if (missing(v)) return DASH;
  return '$' + Math.round(v).toLocaleString('en-US');
}

// "2026-11-30T14:00:00.000Z" -> "2026-11-30 14:00" (UTC; the engine works in UTC).
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return DASH;
  return iso.slice(0, 10) + ' ' + iso.slice(11, 16);
}

export function date(iso: string | null | undefined): string {
  if (!iso) return DASH;
  return iso.slice(0, 10);
}

export function ms(iso: string): number {
  return Date.parse(iso);
}

// A signed duration in hours -> "1d 4h", "5h 12m", "-2d 3h" (negative = overdue).
export function duration(hours: number): string {
  const sign = hours < 0 ? '-' : '';
  let minutes = Math.round(Math.abs(hours) * 60);
  const days = Math.floor(minutes / 1440);
  minutes -= days * 1440;
  const h = Math.floor(minutes / 60);
  const m = minutes - h * 60;
  if (days > 0) return `${sign}${days}d ${h}h`;
  if (h > 0) return `${sign}${h}h ${m}m`;
  return `${sign}${m}m`;
}

// A metric value of unknown kind (number, string, boolean, null).
export function value(v: unknown): string {
  if (missing(v)) return DASH;
  if (typeof v === 'number') return Number.isInteger(v) ? num(v) : dec(v, 3);
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}
