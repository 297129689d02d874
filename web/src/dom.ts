// Tiny DOM helpers: h() builds elements (text children are always text nodes,
// so API strings are never parsed as HTML), plus small table/card builders the
// views share.

export type Child = Node | string | number | null | undefined | false | Child[];

type Attrs = Record<string, unknown> & {
  class?: string;
  testid?: string;
  style?: string;
};

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'class') el.className = String(value);
      else if (key === 'testid') el.setAttribute('data-testid', String(value));
      else if (key.startsWith('on') && typeof value === 'function') {
        el.addEventListener(key.slice(2), value as EventListener);
      } else if (value === true) el.setAttribute(key, '');
      else el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else if (child instanceof Node) parent.appendChild(child);
    else parent.appendChild(document.createTextNode(String(child)));
  }
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

// A card: a titled panel.
export function card(title: Child, body: Child, opts: { testid?: string; wide?: boolean; extra?: Child } = {}): HTMLElement {
  return h(
    'section',
    { class: opts.wide ? 'card wide' : 'card', testid: opts.testid },
    h('header', { class: 'card-head' }, h('h2', null, title), opts.extra ?? null),
    h('div', { class: 'card-body' }, body),
  );
}

export interface Column<T> {
  label: string;
  cell: (row: T, index: number) => Child;
  num?: boolean; // right-aligned numeric column
  testid?: (row: T, index: number) => string | undefined;
}

// A table of rows; `rowAttrs` may add a testid or a click handler per row.
export function table<T>(
  columns: Column<T>[],
  rows: T[],
  opts: { testid?: string; rowAttrs?: (row: T, index: number) => Attrs; empty?: string } = {},
): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'muted', testid: opts.testid }, opts.empty ?? 'Nothing to show.');
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'data', testid: opts.testid },
      h('thead', null, h('tr', null, columns.map((c) => h('th', { class: c.num ? 'num' : undefined }, c.label)))),
      h(
        'tbody',
        null,
        rows.map((row, i) =>
          h(
            'tr',
            opts.rowAttrs ? opts.rowAttrs(row, i) : null,
            columns.map((c) => h('td', { class: c.num ? 'num' : undefined, testid: c.testid?.(row, i) }, c.cell(row, i))),
          ),
        ),
      ),
    ),
  );
}

// A row of big figures ("stat tiles").
export function stats(items: { label: string; value: Child; testid?: string; tone?: string }[]): HTMLElement {
  return h(
    'div',
    { class: 'stats' },
    items.map((s) =>
      h('div', { class: 'stat' + (s.tone ? ' ' + s.tone : '') }, h('div', { class: 'stat-value', testid: s.testid }, s.value), h('div', { class: 'stat-label' }, s.label)),
    ),
  );
}

export function badge(text: string, kind: string, testid?: string): HTMLElement {
  return h('span', { class: `badge badge-${kind}`, testid }, text);
}
