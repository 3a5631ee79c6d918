import { WITHHELD, fitToWidth } from './report-text';

const FONT = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const INK = '#1f2933';
const MUTED = '#616e7c';
const RULE = '#cbd2d9';
const HEADER_FILL = '#eef2f6';
/** Series colours, the dashboard's: first series blue, second orange. */
const SERIES_COLOURS = ['#2f6fb3', '#d9822b'];

export interface TableColumn<Row> {
  header: string;
  /** Share of the table's width, relative to the other columns'. */
  weight: number;
  align?: 'left' | 'right';
  cell: (row: Row) => string;
}

export interface BarChartSpec {
  caption: string;
  categories: readonly string[];
  /** A null value is withheld (small-cell suppression): no bar, and the mark WITHHELD for its label. */
  series: ReadonlyArray<{ name: string; values: ReadonlyArray<number | null> }>;
  /** How a value label reads (counts, shares). */
  format: (value: number) => string;
  height?: number;
}

/**
 * A page-aware writer over one PDFKit document: a cursor that moves down the
 * page, a new page (its heading repeated) when a block would not fit, and the
 * blocks the report is made of. Charts are vector shapes (rectangles and
 * lines), so they print sharp at any size and carry their figures as text.
 */
export class ReportCanvas {
  private y: number;

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly continuation: () => string,
  ) {
    this.y = doc.page.margins.top;
  }

  private get left(): number {
    return this.doc.page.margins.left;
  }

  private get width(): number {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }

  private get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  newPage(): void {
    this.doc.addPage();
    this.y = this.doc.page.margins.top;
  }

  /** Starts a new page when `height` does not fit under the cursor; true when it did. */
  private ensureSpace(height: number): boolean {
    if (this.y + height <= this.bottom) return false;
    this.newPage();
    this.line(`${this.continuation()} (continued)`, { size: 9, colour: MUTED });
    return true;
  }

  gap(points: number): void {
    this.y += points;
  }

  title(text: string): void {
    this.line(text, { size: 22, bold: true });
    this.gap(6);
  }

  heading(text: string): void {
    this.ensureSpace(60);
    this.line(text, { size: 15, bold: true });
    this.gap(4);
  }

  subheading(text: string): void {
    this.ensureSpace(50);
    this.line(text, { size: 11, bold: true });
    this.gap(2);
  }

  /** One line of text, cut to the page's width. */
  line(text: string, options: { size?: number; bold?: boolean; colour?: string } = {}): void {
    const size = options.size ?? 10;
    this.ensureSpace(size * 1.5);
    this.doc.font(options.bold ? BOLD : FONT).fontSize(size);
    const fitted = fitToWidth(text, this.width, (candidate) => this.doc.widthOfString(candidate));
    this.doc.fillColor(options.colour ?? INK).text(fitted, this.left, this.y, { lineBreak: false });
    this.y += size * 1.45;
  }

  /** Label and value pairs in one or two columns, the dashboard's figures strip. */
  figures(pairs: ReadonlyArray<readonly [string, string]>, columns: 1 | 2 = 2): void {
    const rowHeight = 18;
    const columnWidth = this.width / columns;
    const labelWidth = columns === 1 ? 150 : columnWidth * 0.55;
    for (let index = 0; index < pairs.length; index += columns) {
      this.ensureSpace(rowHeight);
      for (const [offset, pair] of pairs.slice(index, index + columns).entries()) {
        const x = this.left + offset * columnWidth;
        this.doc.font(FONT).fontSize(10).fillColor(MUTED).text(pair[0], x, this.y, { lineBreak: false });
        this.doc
          .font(BOLD)
          .fillColor(INK)
          .text(pair[1], x + labelWidth, this.y, { lineBreak: false });
      }
      this.y += rowHeight;
    }
    this.gap(6);
  }

  /** A table; rows past the page go on the next, under the header again. */
  table<Row>(caption: string, columns: ReadonlyArray<TableColumn<Row>>, rows: readonly Row[], empty: string): void {
    const rowHeight = 15;
    const padding = 4;
    const totalWeight = columns.reduce((sum, column) => sum + column.weight, 0);
    const widths = columns.map((column) => (column.weight / totalWeight) * this.width);
    const header = (): void => {
      this.doc.rect(this.left, this.y, this.width, rowHeight).fill(HEADER_FILL);
      this.row(
        columns.map((column) => column.header),
        columns,
        widths,
        BOLD,
        padding,
      );
    };
    this.ensureSpace(rowHeight * 3 + 16);
    this.line(caption, { size: 9, colour: MUTED });
    header();
    for (const row of rows) {
      if (this.ensureSpace(rowHeight)) header();
      this.row(
        columns.map((column) => column.cell(row)),
        columns,
        widths,
        FONT,
        padding,
      );
    }
    if (rows.length === 0) {
      this.gap(3);
      this.line(empty, { size: 9, colour: MUTED });
    }
    this.gap(10);
  }

  private row<Row>(
    cells: readonly string[],
    columns: ReadonlyArray<TableColumn<Row>>,
    widths: readonly number[],
    font: string,
    padding: number,
  ): void {
    const rowHeight = 15;
    this.doc.font(font).fontSize(8.5).fillColor(INK);
    let x = this.left;
    cells.forEach((cell, index) => {
      const width = widths[index] ?? 0;
      const inner = Math.max(width - 2 * padding, 1);
      const fitted = fitToWidth(cell, inner, (candidate) => this.doc.widthOfString(candidate));
      this.doc.text(fitted, x + padding, this.y + 4, {
        width: inner,
        align: columns[index]?.align ?? 'left',
        lineBreak: false,
      });
      x += width;
    });
    this.y += rowHeight;
    this.doc
      .moveTo(this.left, this.y)
      .lineTo(this.left + this.width, this.y)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
  }

  /**
   * Vertical bars, one group per category and one bar per series, on a zero
   * baseline scaled to the largest value; each bar's value is written above
   * it when the groups are few enough to read, category labels below.
   */
  barChart(spec: BarChartSpec): void {
    const plotHeight = spec.height ?? 150;
    const labelBand = 14;
    this.ensureSpace(plotHeight + labelBand * 3 + 30);
    this.line(spec.caption, { size: 9, colour: MUTED });
    const top = this.y + labelBand;
    const baseline = top + plotHeight;
    const max = Math.max(1, ...spec.series.flatMap((line) => line.values.map((value) => value ?? 0)));
    const band = this.width / Math.max(spec.categories.length, 1);
    const barWidth = Math.max((band * 0.7) / Math.max(spec.series.length, 1), 0.5);
    const labelEvery = Math.max(1, Math.ceil(spec.categories.length / 10));
    const writeValues = spec.categories.length * spec.series.length <= 24;
    this.doc.font(FONT).fontSize(7.5);
    spec.categories.forEach((category, index) => {
      const groupLeft = this.left + index * band + band * 0.15;
      spec.series.forEach((line, position) => {
        const shown = line.values[index];
        const value = shown ?? 0;
        const height = (Math.max(value, 0) / max) * plotHeight;
        const x = groupLeft + position * barWidth;
        this.doc
          .rect(x, baseline - height, barWidth, height)
          .fill(SERIES_COLOURS[position % SERIES_COLOURS.length] ?? INK);
        if (writeValues) {
          this.doc.fillColor(INK).text(shown === null ? WITHHELD : spec.format(value), x - 10, baseline - height - 10, {
            width: barWidth + 20,
            align: 'center',
          });
        }
      });
      if (index % labelEvery === 0) {
        const label = fitToWidth(category, band * labelEvery, (candidate) => this.doc.widthOfString(candidate));
        this.doc
          .fillColor(MUTED)
          .text(label, this.left + index * band, baseline + 4, { width: band * labelEvery, align: 'left' });
      }
    });
    this.doc
      .moveTo(this.left, baseline)
      .lineTo(this.left + this.width, baseline)
      .lineWidth(0.75)
      .strokeColor(INK)
      .stroke();
    this.y = baseline + labelBand + 4;
    if (spec.series.length > 1) this.legend(spec.series.map((line) => line.name));
    this.gap(10);
  }

  /**
   * Horizontal bars, one per category: the label at the left, the bar scaled
   * to the largest value, the value after it. Suits long category names.
   */
  horizontalBarChart(spec: BarChartSpec): void {
    const barHeight = 12;
    const rowHeight = 18;
    const values = spec.series[0]?.values ?? [];
    const labelWidth = this.width * 0.3;
    const valueWidth = 60;
    const plotWidth = this.width - labelWidth - valueWidth;
    const max = Math.max(1, ...values.map((value) => value ?? 0));
    this.ensureSpace(Math.min(spec.categories.length, 3) * rowHeight + 30);
    this.line(spec.caption, { size: 9, colour: MUTED });
    spec.categories.forEach((category, index) => {
      this.ensureSpace(rowHeight);
      const shown = values[index];
      const value = shown ?? 0;
      const length = (Math.max(value, 0) / max) * plotWidth;
      this.doc.font(FONT).fontSize(8.5);
      const label = fitToWidth(category, labelWidth - 6, (candidate) => this.doc.widthOfString(candidate));
      this.doc.fillColor(INK).text(label, this.left, this.y + 2, { width: labelWidth - 6, lineBreak: false });
      this.doc.rect(this.left + labelWidth, this.y, length, barHeight).fill(SERIES_COLOURS[0] ?? INK);
      const text = shown === null ? WITHHELD : spec.format(value);
      this.doc.fillColor(INK).text(text, this.left + labelWidth + length + 4, this.y + 2, {
        lineBreak: false,
      });
      this.y += rowHeight;
    });
    this.gap(10);
  }

  private legend(names: readonly string[]): void {
    let x = this.left;
    this.doc.font(FONT).fontSize(8.5);
    names.forEach((name, position) => {
      this.doc.rect(x, this.y + 1, 8, 8).fill(SERIES_COLOURS[position % SERIES_COLOURS.length] ?? INK);
      this.doc.fillColor(INK).text(name, x + 12, this.y + 1, { lineBreak: false });
      x += 20 + this.doc.widthOfString(name);
    });
    this.y += 14;
  }
}

/**
 * Writes a line at the foot of every page (the document must buffer its
 * pages). The bottom margin is lifted while writing, or PDFKit would start a
 * new page for text below it.
 */
export function stampFooters(doc: PDFKit.PDFDocument, footer: (page: number, pages: number) => string): void {
  const range = doc.bufferedPageRange();
  for (let index = range.start; index < range.start + range.count; index += 1) {
    doc.switchToPage(index);
    const margins = doc.page.margins;
    const bottom = margins.bottom;
    margins.bottom = 0;
    doc
      .font(FONT)
      .fontSize(8)
      .fillColor(MUTED)
      .text(footer(index + 1, range.count), margins.left, doc.page.height - bottom / 2, {
        width: doc.page.width - margins.left - margins.right,
        align: 'center',
        lineBreak: false,
      });
    margins.bottom = bottom;
  }
}
