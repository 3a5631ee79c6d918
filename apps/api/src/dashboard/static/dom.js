// The dashboard's DOM and formatting helpers: tables (with their CSV
// download), bar charts in inline SVG, figures, and how a figure the API
// withheld is shown. Text reaches the DOM through textContent only, never
// as markup.

const SVG = 'http://www.w3.org/2000/svg';

export const countFormat = new Intl.NumberFormat('en-US');
const moneyFormat = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
export const NONE = '—';

export const FORMATS = {
  text: (value) => (value === null || value === undefined || value === '' ? NONE : String(value)),
  count: (value) => (value === null || value === undefined ? NONE : countFormat.format(value)),
  days: (value) => (value === null || value === undefined ? NONE : countFormat.format(value)),
  money: (cents) => (cents === null || cents === undefined ? NONE : moneyFormat.format(cents / 100)),
  share: (ratio) => (ratio === null || ratio === undefined ? NONE : `${(ratio * 100).toFixed(1)}%`),
};

/**
 * Small-cell suppression: for a role without kpis:small-cells the API
 * withholds a figure counting too few claims (with its dollars), answers
 * null for it and names it in the object's `suppressed` list, so that a
 * withheld figure is told apart from one with no data (also null).
 */
export const WITHHELD = 'withheld';
const WITHHELD_TITLE = 'Withheld: too few claims to show to this role (small-cell suppression)';

export function valueAt(object, path) {
  let value = object;
  for (const key of path.split('.')) value = value === null || value === undefined ? undefined : value[key];
  return value;
}

export function isWithheld(object, path) {
  return Array.isArray(object?.suppressed) && object.suppressed.includes(path);
}

/** Whether an answer withheld anything, at any depth. */
export function withholdsAny(value) {
  if (Array.isArray(value)) return value.some(withholdsAny);
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value.suppressed) && value.suppressed.length > 0) return true;
  return Object.values(value).some(withholdsAny);
}

function markWithheld(node, withheld) {
  node.classList.toggle('withheld', withheld);
  if (withheld) node.setAttribute('title', WITHHELD_TITLE);
  else node.removeAttribute('title');
}

/** A cell as a CSV file holds it: numbers bare (dollars for cents), text as text. */
function csvValueOf(kind, value) {
  if (value === null || value === undefined) return null;
  if (kind === 'money') return (value / 100).toFixed(2);
  if (kind === 'text') return String(value);
  return value;
}

/**
 * One CSV cell, safe to open in a spreadsheet: the rule of the API's own
 * exports (apps/api/src/exports/csv.ts, OWASP "CSV Injection"): text quoted
 * with inner quotes doubled, and text starting with = + - @, tab, carriage
 * return or NUL, or with blanks or quotes before = + - @ (which a sheet may
 * drop on import), prefixed with a quote.
 */
function csvCell(value, isText) {
  if (value === null) return '';
  if (!isText) return String(value);
  const text = /^(?:[\s"'\0]*[=+\-@]|[\t\r\0])/u.test(value) ? `'${value}` : value;
  return `"${text.replace(/"/g, '""')}"`;
}

export const $ = (selector, root = document) => root.querySelector(selector);

export function element(tag, attributes = {}, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

export function svgElement(tag, attributes = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

export function setFigure(name, text) {
  const node = $(`[data-figure="${name}"]`);
  if (node) node.textContent = text;
}

/** A figure read from an answer at `path`: formatted as `kind`, or shown as withheld. */
export function showFigure(name, object, path, kind) {
  const node = $(`[data-figure="${name}"]`);
  if (!node) return;
  const withheld = isWithheld(object, path);
  node.textContent = withheld ? WITHHELD : FORMATS[kind](valueAt(object, path));
  markWithheld(node, withheld);
}

/**
 * A table with a CSV download of the same rows. `columns`: key, header,
 * kind (text, count, days, money, share), and value(row) or field (the
 * row's member, shown as withheld when the API withheld it); optionally
 * control(row), a link or button shown in the cell in place of its text
 * (the CSV keeps the value). `csv: false` offers no download.
 */
export function renderTable(container, { name, caption, columns, rows, empty = 'Nothing to show.', csv = true }) {
  container.replaceChildren();
  const table = element('table', { 'data-name': name });
  if (caption) table.append(element('caption', {}, caption));
  const head = element('tr');
  for (const column of columns) head.append(element('th', { scope: 'col' }, column.header));
  const thead = element('thead');
  thead.append(head);
  table.append(thead);
  const body = element('tbody');
  for (const row of rows) {
    const line = element('tr');
    for (const column of columns) {
      const kind = column.kind ?? 'text';
      const cell = element('td', {
        'data-column': column.key,
        class: `${kind === 'text' ? 'text' : 'number'}${column.className ? ` ${column.className}` : ''}`,
      });
      const withheld = column.field !== undefined && isWithheld(row, column.field);
      const text = withheld ? WITHHELD : FORMATS[kind](cellValue(column, row));
      const control = withheld ? null : (column.control?.(row, text) ?? null);
      if (control) cell.append(control);
      else cell.textContent = text;
      if (withheld) markWithheld(cell, true);
      line.append(cell);
    }
    body.append(line);
  }
  table.append(body);
  container.append(table);
  if (rows.length === 0) container.append(element('p', { class: 'empty' }, empty));
  if (!csv) return;
  const download = element('button', { type: 'button', class: 'csv', 'data-csv': name }, 'Download CSV');
  download.addEventListener('click', () => downloadCsv(name, columns, rows));
  container.append(download);
}

function cellValue(column, row) {
  return column.value ? column.value(row) : valueAt(row, column.field);
}

/** A definition list of label/value pairs, each value marked with its figure name. */
export function renderFigures(list, figures) {
  list.replaceChildren(
    ...figures.map(([label, value, name]) => {
      const entry = element('div');
      entry.append(element('dt', {}, label), element('dd', { 'data-figure': name }, value));
      return entry;
    }),
  );
}

/** A button in a table cell that acts on its row (a click-through), named by its text. */
export function rowButton(text, title, onClick) {
  const button = element('button', { type: 'button', class: 'link', title }, text);
  button.addEventListener('click', onClick);
  return button;
}

/**
 * The rows as the table shows them. A withheld cell is empty, as one of no
 * data is; so, as in the API's own CSV exports, a last `suppressed` column
 * names the row's withheld columns (`;` between), in every table of which
 * a cell can be withheld, whatever the role.
 */
function downloadCsv(name, columns, rows) {
  const withholding = columns.filter((column) => column.field !== undefined);
  const headers = columns.map((column) => column.key);
  if (withholding.length > 0) headers.push('suppressed');
  const lines = [headers.map((header) => csvCell(header, true)).join(',')];
  for (const row of rows) {
    const cells = columns.map((column) => {
      const kind = column.kind ?? 'text';
      return csvCell(csvValueOf(kind, cellValue(column, row)), kind === 'text');
    });
    if (withholding.length > 0) {
      const withheld = withholding.filter((column) => isWithheld(row, column.field)).map((column) => column.key);
      cells.push(csvCell(withheld.join(';'), true));
    }
    lines.push(cells.join(','));
  }
  saveFile(new Blob([`${lines.join('\r\n')}\r\n`], { type: 'text/csv;charset=utf-8' }), `${name}.csv`);
}

/** Hands a file made in the page to the browser to save, as a download. */
export function saveFile(blob, filename) {
  const link = element('a', { href: URL.createObjectURL(blob), download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 0);
}

/** Plot's tick labels: 10px sans-serif, whose digits, comma and minus are each at most this wide. */
const TICK_CHARACTER_PX = 6.5;

/**
 * The room the value axis's labels need, left of the bars: Plot's fixed
 * margin cuts a label of a million or more short at the chart's edge. The
 * labels are those Plot draws (D3's nice ticks of the domain, which Plot
 * takes), measured by their longest.
 */
function valueAxisMargin(domain, ticks) {
  const scale = globalThis.d3.scaleLinear().domain(domain).nice(ticks);
  const longest = Math.max(...scale.ticks(ticks).map((value) => countFormat.format(value).length));
  return Math.max(48, Math.ceil(longest * TICK_CHARACTER_PX) + 14);
}

/**
 * A bar chart drawn by Observable Plot (the page loads it as the global
 * `Plot`): one group of bars per category, one bar per series, a value axis
 * with grid lines. Each bar carries its value (data-value) and a tooltip; a
 * value the API withheld (series.withheld) is a bar of no height marked so.
 * With `onPick`, a bar is also a button (click, Enter or Space) named by
 * `pickLabel(category)`; a bar of value 0 is not.
 */
export function renderBarChart(figure, { series, categories, labelEvery = 1, onPick = null, pickLabel = null }) {
  for (const old of figure.querySelectorAll('svg, .legend')) old.remove();
  const caption = figure.querySelector('figcaption')?.textContent ?? '';
  const labels = categories.map((category) => series[0]?.category(category) ?? '');
  const names = series.map((line) => line.name);
  // Category-major, series within: the order Plot draws the bars in, so bar i is bars[i].
  const bars = categories.flatMap((category, index) =>
    series.map((line, position) => ({
      category,
      label: labels[index],
      line,
      position,
      value: line.value(category),
      withheld: line.withheld?.(category) ?? false,
    })),
  );
  const top = Math.max(0, ...bars.map((bar) => bar.value ?? 0));
  // Below zero too when a value is (a payer lag of an 835 dated before its 837): a domain from 0 draws it as 0.
  const bottom = Math.min(0, ...bars.map((bar) => bar.value ?? 0));
  // From zero, and at least to 1: a chart of no bar (nothing yet, or every value withheld) keeps its axis.
  const domain = [bottom, Math.max(1, top)];
  // Counts and days are whole: no more ticks than whole numbers in the span, so none falls between two.
  const ticks = Math.max(1, Math.min(5, Math.ceil(domain[1] - domain[0])));
  const svg = globalThis.Plot.plot({
    width: 640,
    height: 220,
    marginLeft: valueAxisMargin(domain, ticks),
    marginBottom: 30,
    ariaLabel: caption,
    fx: {
      domain: labels,
      label: null,
      axis: 'bottom',
      padding: 0.2,
      tickFormat: (label) => (labels.indexOf(label) % labelEvery === 0 ? label : ''),
    },
    x: { domain: names, axis: null, paddingInner: 0.08 },
    y: {
      domain,
      grid: true,
      label: null,
      nice: true,
      ticks,
      tickFormat: (value) => countFormat.format(value),
    },
    marks: [
      globalThis.Plot.barY(bars, {
        fx: 'label',
        x: (bar) => bar.line.name,
        y: (bar) => bar.value ?? 0,
        // Each bar's colour is its series' class (dashboard.css `.series-N`), the legend's too.
        fill: 'currentColor',
      }),
      globalThis.Plot.ruleY([0]),
    ],
  });
  // Plot's own <style> is inline, which the page's policy (style-src 'self') refuses: dashboard.css has its rules.
  for (const style of svg.querySelectorAll('style')) style.remove();
  svg.classList.add('bars');
  // Bars that are buttons must stay in the accessibility tree, which an img's children do not.
  svg.setAttribute('role', onPick ? 'group' : 'img');
  svg.setAttribute('aria-label', caption);
  const rects = svg.querySelectorAll('g[aria-label="bar"] rect');
  rects.forEach((rect, index) => {
    const bar = bars[index];
    if (!bar) return;
    const { category, label, line, position, value, withheld } = bar;
    rect.classList.add(`series-${position}`);
    rect.setAttribute('data-series', line.name);
    rect.setAttribute('data-category', label);
    if (value !== null && value !== undefined) rect.setAttribute('data-value', String(value));
    if (withheld) rect.setAttribute('data-withheld', 'true');
    const tooltip = svgElement('title');
    tooltip.textContent = `${line.name}, ${label}: ${
      withheld ? WITHHELD : value === null || value === undefined ? NONE : countFormat.format(value)
    }`;
    rect.append(tooltip);
    if (onPick && value > 0) {
      rect.setAttribute('role', 'button');
      rect.setAttribute('tabindex', '0');
      rect.setAttribute('aria-label', pickLabel(category));
      rect.classList.add('pickable');
      rect.addEventListener('click', () => onPick(category));
      rect.addEventListener('keydown', (event) => {
        if (event.key !== 'Enter' && event.key !== ' ') return;
        event.preventDefault();
        onPick(category);
      });
    }
  });
  figure.append(svg);
  const legend = element('p', { class: 'legend' });
  series.forEach((line, position) => legend.append(element('span', { class: `key series-${position}` }, line.name)));
  figure.append(legend);
}

export function fillChoices(listId, rows) {
  const list = document.getElementById(listId);
  list?.replaceChildren(...rows.map((row) => element('option', { value: row.value })));
}
