/**
 * Rows of a wide, fixed column layout filled by column name: with 100 or 275
 * columns, a value set by position lands in the wrong column unnoticed; by
 * name, an unknown column fails the first time it is written.
 */
export class RowTemplate {
  private readonly positions = new Map<string, number>();
  private readonly defaults: string[];

  constructor(
    readonly columns: readonly string[],
    defaults: Readonly<Record<string, string>> = {},
  ) {
    columns.forEach((column, index) => this.positions.set(column, index));
    this.defaults = columns.map(() => '');
    this.assign(this.defaults, defaults);
  }

  /** A new row: the defaults, overlaid with `values`. */
  row(values: Readonly<Record<string, string>>): string[] {
    return this.assign(this.defaults.slice(), values);
  }

  /** A copy of `base` overlaid with `values`: a claim's line rows share its claim-level fields. */
  extend(base: readonly string[], values: Readonly<Record<string, string>>): string[] {
    return this.assign(base.slice(), values);
  }

  private assign(row: string[], values: Readonly<Record<string, string>>): string[] {
    for (const column in values) {
      const position = this.positions.get(column);
      if (position === undefined) throw new Error(`no column ${column} in this layout`);
      row[position] = values[column] ?? '';
    }
    return row;
  }
}
