// Charts: Chart.js (bundled, tree-shaken registration) for report charts, and
// small inline SVG sparklines for the account page's 90-day series. Every chart
// created through here is tracked so the router can destroy it when the view
// changes. Animations are off: figures appear at once and screenshots are stable.

import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { h } from './dom';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Tooltip, Legend, Filler);
Chart.defaults.font.family = getComputedStyle(document.documentElement).getPropertyValue('--font').trim() || 'system-ui, sans-serif';
Chart.defaults.font.size = 12;
Chart.defaults.color = '#44506a';
Chart.defaults.animation = false;
Chart.defaults.maintainAspectRatio = false;

export const palette = ['#2f6db5', '#e0883a', '#3a9d6e', '#8d5fbf', '#c9485b', '#5aa9c9', '#b59b2f', '#6b7a90'];

const live: Chart[] = [];

export function destroyCharts(): void {
  while (live.length) live.pop()!.destroy();
}

// A canvas in a fixed-height box, drawn once the box is in the document.
export function chart(config: ChartConfiguration, opts: { height?: number; testid?: string } = {}): HTMLElement {
  const canvas = h('canvas', { testid: opts.testid });
  const box = h('div', { class: 'chart-box', style: `height:${opts.height ?? 260}px` }, canvas);
  requestAnimationFrame(() => {
    if (!canvas.isConnected) return;
    live.push(new Chart(canvas, config));
  });
  return box;
}

export function barChart(
  labels: string[],
  datasets: { label: string; data: (number | null)[]; axis?: 'y' | 'y1'; color?: string }[],
  opts: { height?: number; testid?: string; percent?: boolean; y1Label?: string; stacked?: boolean; horizontal?: boolean } = {},
): HTMLElement {
  const hasY1 = datasets.some((d) => d.axis === 'y1');
  const valueAxis = opts.horizontal ? 'x' : 'y';
  return chart(
    {
      type: 'bar',
      data: {
        labels,
        datasets: datasets.map((d, i) => ({
          label: d.label,
          data: d.data,
          backgroundColor: d.color ?? palette[i % palette.length],
          borderRadius: 3,
          yAxisID: opts.horizontal ? undefined : (d.axis ?? 'y'),
        })),
      },
      options: {
        indexAxis: opts.horizontal ? 'y' : 'x',
        plugins: { legend: { display: datasets.length > 1, position: 'bottom' } },
        scales: {
          [valueAxis]: {
            stacked: opts.stacked,
            beginAtZero: true,
            ticks: opts.percent ? { callback: (v) => `${Math.round(Number(v) * 100)}%` } : {},
          },
          [opts.horizontal ? 'y' : 'x']: { stacked: opts.stacked, grid: { display: false } },
          ...(hasY1 ? { y1: { position: 'right', beginAtZero: true, grid: { display: false }, title: { display: !!opts.y1Label, text: opts.y1Label ?? '' } } } : {}),
        },
      },
    },
    { height: opts.height, testid: opts.testid },
  );
}

export function lineChart(
  labels: string[],
  datasets: { label: string; data: (number | null)[]; color?: string; dashed?: boolean }[],
  opts: { height?: number; testid?: string; percent?: boolean; beginAtZero?: boolean } = {},
): HTMLElement {
  return chart(
    {
      type: 'line',
      data: {
        labels,
        datasets: datasets.map((d, i) => ({
          label: d.label,
          data: d.data,
          borderColor: d.color ?? palette[i % palette.length],
          backgroundColor: d.color ?? palette[i % palette.length],
          borderDash: d.dashed ? [5, 4] : undefined,
          pointRadius: 3,
          tension: 0.2,
          spanGaps: true,
        })),
      },
      options: {
        plugins: { legend: { display: datasets.length > 1, position: 'bottom' } },
        scales: {
          y: { beginAtZero: opts.beginAtZero ?? false, ticks: opts.percent ? { callback: (v) => `${(Number(v) * 100).toFixed(0)}%` } : {} },
          x: { grid: { display: false } },
        },
      },
    },
    { height: opts.height, testid: opts.testid },
  );
}

const SVG = 'http://www.w3.org/2000/svg';

// An SVG sparkline of a series (nulls are gaps); the last point is dotted.
export function sparkline(values: (number | null)[], opts: { width?: number; height?: number; color?: string; testid?: string } = {}): SVGSVGElement {
  const width = opts.width ?? 180;
  const height = opts.height ?? 36;
  const color = opts.color ?? palette[0];
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('class', 'spark');
  if (opts.testid) svg.setAttribute('data-testid', opts.testid);
  const present = values.filter((v): v is number => typeof v === 'number');
  if (present.length === 0) return svg;
  let lo = Math.min(...present);
  let hi = Math.max(...present);
  if (hi === lo) {
    hi += 1;
    lo -= lo === 0 ? 0 : 1;
  }
  const pad = 3;
  const x = (i: number) => pad + (values.length <= 1 ? 0 : (i * (width - 2 * pad)) / (values.length - 1));
  const y = (v: number) => height - pad - ((v - lo) * (height - 2 * pad)) / (hi - lo);
  let d = '';
  let pen = false;
  values.forEach((v, i) => {
    if (typeof v !== 'number') {
      pen = false;
      return;
    }
    d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
    pen = true;
  });
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', d);
  path.setAttribute('fill', 'none');
  path.setAttribute('stroke', color);
  path.setAttribute('stroke-width', '1.6');
  svg.appendChild(path);
  const lastIndex = values.length - 1 - [...values].reverse().findIndex((v) => typeof v === 'number');
  const dot = document.createElementNS(SVG, 'circle');
  dot.setAttribute('cx', x(lastIndex).toFixed(1));
  dot.setAttribute('cy', y(values[lastIndex] as number).toFixed(1));
  dot.setAttribute('r', '2.5');
  dot.setAttribute('fill', color);
  svg.appendChild(dot);
  return svg;
}
