/**
 * Small-cell suppression (CMS cell-size suppression policy): a published
 * figure that counts 1 to threshold−1 members (default 11: "no cell of 10 or
 * fewer") is withheld, with the dollars and figures derived from the same
 * cell, since the dollars of a 3-claim cell say as much as its count. A count
 * of 0 is not a small cell. Withheld figures become null and are named in the
 * object's `suppressed` list, so a client tells "withheld" from "no data"
 * (a rate with no denominator is null too, and is not listed).
 *
 * Complementary disclosure: a breakdown whose cells add up to a total shown
 * elsewhere would give the one withheld cell back by subtraction, so when
 * exactly one cell of a breakdown is withheld, the next smallest (positive)
 * cell of the same breakdown is withheld too (secondary suppression, the
 * simple rule). A rule marked `additive: false` (a top list, conditions a
 * member can share) adds up to nothing and gets no secondary cell.
 *
 * A breakdown may add up to a figure of the answer itself (a margin): the
 * values to the open claims, or, in a table of values by age bucket, each
 * column to the queue's bucket. Every such sum is protected alike, until no
 * sum has exactly one cell withheld: the margin counts as a cell (withheld or
 * not), and so do the values a `limit` left out of the list (the total less
 * the values listed), which are withheld as one cell when they are small.
 *
 * Pure: the specs (which figure is a count, what goes with it) are declared
 * beside the routes; this module only applies them.
 */

type Leaf = string | number | bigint | boolean | Date | null | undefined;

/** The dotted paths of a response type's fields (`open.claims`), so a spec cannot name a field that is not there. */
export type FieldPath<T> = T extends Leaf
  ? never
  : T extends ReadonlyArray<unknown>
    ? never
    : {
        [K in keyof T & string]: NonNullable<T[K]> extends Leaf | ReadonlyArray<unknown>
          ? K
          : K | `${K}.${FieldPath<NonNullable<T[K]>>}`;
      }[keyof T & string];

type ElementOf<T> = T extends ReadonlyArray<infer Element> ? Element : T;

/** One cell of an object: the count that decides, and what is withheld with it. */
export interface SmallCellRule<Path extends string = string> {
  /** The count closest to "members": a member count where the answer has one, else claims (or the unit counted). */
  count: Path;
  /**
   * The cell is `count − minus` (the complement: claims not denied, members
   * without the condition). Then only `with` is withheld: `count` is the
   * larger cell and stays, and `with` names what would give the difference away.
   */
  minus?: Path;
  /** Withheld with the cell: its dollars and figures derived from it; a nested breakdown named here is withheld whole. */
  with?: readonly Path[];
  /** False when the objects of a list do not add up to any total shown (no secondary suppression). Default true. */
  additive?: boolean;
}

/**
 * A list whose elements' `count` add up to `total`, a figure of the same
 * object (the values of a breakdown to the open claims). With `within`, each
 * element holds a list of its own (its age buckets), and the elements of
 * those lists add up, position by position, to the elements of the list
 * `total` (the queue's buckets), each element's to its own `count`: a
 * cross-tabulation and its margins.
 */
export interface SmallCellMargin<Path extends string = string> {
  /** The list (a property of the object the spec describes), declared in `nested` with a rule on `count`. */
  list: Path;
  /** The count of the cells that add up (a rule's `count` of the list's elements, or of their `within` lists'). */
  count: string;
  /** The figure they add up to; with `within`, a list whose elements hold `count`. */
  total: Path;
  /** A list of each element, declared in the list's `nested`, whose cells add up across the elements. */
  within?: string;
  /**
   * With `by`, `total` is a list too, keyed by this field: the elements of
   * `list` holding a value of it add up to the element of `total` holding
   * the same (PMPM rows to their benefit's totals).
   */
  by?: string;
}

/** Where a response's cells are. Applied to an array, it describes each element; the elements form a breakdown. */
export interface SmallCellSpec<T> {
  cells?: ReadonlyArray<SmallCellRule<FieldPath<T>>>;
  /** Nested objects and lists, each with its own cells. */
  nested?: { readonly [K in keyof T]?: SmallCellSpec<ElementOf<NonNullable<T[K]>>> };
  /** Properties that map a code to a count (`linesByProcessingIndicator`): each entry a cell of its own. */
  countMaps?: ReadonlyArray<keyof T & string>;
  /** Lists that add up to figures of this object, so that no withheld cell comes back by subtraction from them. */
  margins?: ReadonlyArray<SmallCellMargin<FieldPath<T>>>;
}

/** A spec with its types erased: what a route's metadata holds. */
export interface AnySmallCellSpec {
  cells?: ReadonlyArray<SmallCellRule>;
  nested?: { readonly [key: string]: AnySmallCellSpec | undefined };
  countMaps?: readonly string[];
  margins?: ReadonlyArray<SmallCellMargin>;
}

/**
 * A response as it leaves for a caller whose small cells are withheld: any
 * count or amount may be null, and any object may list what it withheld.
 */
export type Withheld<T> = T extends number
  ? number | null
  : T extends string
    ? string extends T
      ? string | null
      : T
    : T extends Leaf
      ? T
      : T extends ReadonlyArray<infer Element>
        ? Array<Withheld<Element>>
        : { [K in keyof T]: Withheld<T[K]> } & { suppressed?: string[] };

/** The property every object with a withheld figure carries: the figures withheld, by dotted path. */
export const SUPPRESSED_PROPERTY = 'suppressed';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

/** True when `count` is a small cell: 1 to threshold−1 (0 is no cell to protect). */
export function isSmallCell(count: number | null, threshold: number): boolean {
  return count !== null && Number.isFinite(count) && count >= 1 && count < threshold;
}

function numberAt(target: Json, path: string): number | null {
  let value: unknown = target;
  for (const key of path.split('.')) value = isObject(value) ? value[key] : undefined;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  // The verification route carries counter values as decimal strings.
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  return null;
}

function cellValue(target: Json, rule: SmallCellRule): number | null {
  const count = numberAt(target, rule.count);
  if (rule.minus === undefined || count === null) return count;
  const minus = numberAt(target, rule.minus);
  return minus === null ? null : count - minus;
}

/** Sets a present field to null; false when the path names nothing (an optional field left out). */
function nullAt(target: Json, path: string): boolean {
  const keys = path.split('.');
  const last = keys.pop();
  let holder: unknown = target;
  for (const key of keys) holder = isObject(holder) ? holder[key] : undefined;
  if (!isObject(holder) || last === undefined || !(last in holder) || holder[last] === undefined) return false;
  holder[last] = null;
  return true;
}

/** The paths a rule withholds when its cell is small (`whole`: the object is withheld entirely). */
function pathsOf(rule: SmallCellRule, whole: boolean): string[] {
  const withheld = [...(rule.with ?? [])];
  if (rule.minus === undefined || whole) withheld.push(rule.count);
  if (rule.minus !== undefined && whole) withheld.push(rule.minus);
  return withheld;
}

/** Whether the rule's cell can no longer be read from the object (withheld directly or through another cell). */
function hidden(withheld: Pick<ReadonlySet<string>, 'has'>, rule: SmallCellRule): boolean {
  return rule.minus === undefined
    ? withheld.has(rule.count)
    : (rule.with ?? []).length > 0 && (rule.with ?? []).every((path) => withheld.has(path));
}

function markWithheld(target: Json, withheld: ReadonlySet<string>): void {
  if (withheld.size === 0) return;
  const listed = target[SUPPRESSED_PROPERTY];
  const merged = new Set([...(Array.isArray(listed) ? (listed as string[]) : []), ...withheld]);
  target[SUPPRESSED_PROPERTY] = [...merged].sort();
}

/**
 * Withholds the small cells of one object in place and answers what it
 * withheld. `forced` names rules withheld whatever their count (secondary
 * suppression); `whole` withholds every cell (the object sits inside a
 * withheld cell).
 */
function withholdObject(
  target: Json,
  spec: AnySmallCellSpec,
  threshold: number,
  whole: boolean,
  forced: ReadonlySet<number> = new Set(),
): Set<string> {
  // Read before anything below is withheld: what the listed cells leave of each margin needs their figures.
  const margins = whole || forced.size > 0 ? [] : marginSumsOf(target, spec);
  const withheld = new Set<string>();
  const listed = target[SUPPRESSED_PROPERTY];
  if (Array.isArray(listed)) for (const path of listed as string[]) withheld.add(path);
  const before = new Set(withheld);
  (spec.cells ?? []).forEach((rule, index) => {
    if (whole || forced.has(index) || isSmallCell(cellValue(target, rule), threshold)) {
      for (const path of pathsOf(rule, whole)) withheld.add(path);
    }
  });
  const nested = spec.nested ?? {};
  for (const [key, nestedSpec] of Object.entries(nested)) {
    if (nestedSpec === undefined) continue;
    const wholeChild = whole || withheld.has(key);
    // A nested breakdown is withheld figure by figure (its labels stay), never replaced by null.
    withheld.delete(key);
    // A second pass (secondary suppression) revisits only what it newly withholds.
    if (forced.size > 0 && !wholeChild) continue;
    withholdValue(target[key], nestedSpec, threshold, wholeChild);
  }
  for (const key of spec.countMaps ?? []) {
    const map = target[key];
    if (isObject(map))
      for (const code of withholdCountMap(map, threshold, whole || withheld.has(key))) withheld.add(`${key}.${code}`);
    withheld.delete(key);
  }
  const applied = new Set([...withheld].filter((path) => before.has(path) || nullAt(target, path)));
  markWithheld(target, applied);
  protectSums(margins, threshold);
  return applied;
}

/** Cells that add up to a figure the answer shows (or withholds), with what the cells listed leave of it. */
interface MarginSum {
  parts: Json[];
  partSpec: AnySmallCellSpec;
  /** The index of the parts' rule on the count that adds up. */
  rule: number;
  /** The object holding the figure they add up to, and its path there. */
  total: { holder: Json; path: string };
  /** The total less the parts, before anything is withheld: cells the answer does not list, when positive. */
  unlisted: number;
}

const objectsIn = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isObject) : []);

/** What an object lists as withheld, read in place (the sums are checked often; no copy is made). */
const withheldPathsOf = (target: Json): Pick<ReadonlySet<string>, 'has'> => {
  const listed = target[SUPPRESSED_PROPERTY];
  return { has: (path) => Array.isArray(listed) && (listed as string[]).includes(path) };
};

/** The sums a spec's margins declare on `target`, as its figures stand (nothing withheld yet). */
function marginSumsOf(target: Json, spec: AnySmallCellSpec): MarginSum[] {
  const sumOf = (
    parts: Json[],
    partSpec: AnySmallCellSpec,
    count: string,
    total: { holder: Json; path: string },
  ): MarginSum[] => {
    const rule = (partSpec.cells ?? []).findIndex((each) => each.count === count && each.minus === undefined);
    const totalValue = numberAt(total.holder, total.path);
    if (rule < 0 || totalValue === null) return [];
    const listed = parts.reduce((sum, part) => sum + (numberAt(part, count) ?? 0), 0);
    return [{ parts, partSpec, rule, total, unlisted: totalValue - listed }];
  };
  return (spec.margins ?? []).flatMap((margin) => {
    const listSpec = spec.nested?.[margin.list];
    const elements = objectsIn(target[margin.list]);
    if (listSpec === undefined) return [];
    if (margin.by !== undefined) {
      const key = margin.by;
      return objectsIn(target[margin.total]).flatMap((group) =>
        sumOf(
          elements.filter((element) => element[key] === group[key]),
          listSpec,
          margin.count,
          { holder: group, path: margin.count },
        ),
      );
    }
    if (margin.within === undefined) {
      return sumOf(elements, listSpec, margin.count, { holder: target, path: margin.total });
    }
    const withinSpec = listSpec.nested?.[margin.within];
    if (withinSpec === undefined) return [];
    const columns = objectsIn(target[margin.total]).flatMap((column, position) =>
      sumOf(
        elements.flatMap((element) => objectsIn(element[margin.within ?? '']).slice(position, position + 1)),
        withinSpec,
        margin.count,
        { holder: column, path: margin.count },
      ),
    );
    // Each element's own list adds up to its count: withholding a column's cell can leave one alone in its row.
    const rows = elements.flatMap((element) =>
      sumOf(objectsIn(element[margin.within ?? '']), withinSpec, margin.count, { holder: element, path: margin.count }),
    );
    return [...columns, ...rows];
  });
}

/**
 * Withholds cells until no sum can give one back: a sum with exactly one
 * cell withheld (a part, its total, or the unlisted rest) takes its smallest
 * shown positive part with it. An unlisted rest that is not small is no cell
 * to protect; one that is small is, though the answer never listed it.
 */
function protectSums(sums: readonly MarginSum[], threshold: number): void {
  let changed = sums.length > 0;
  while (changed) {
    changed = false;
    for (const sum of sums) {
      const rule = sum.partSpec.cells?.[sum.rule];
      if (rule === undefined) continue;
      const shownParts = sum.parts.filter((part) => !hidden(withheldPathsOf(part), rule));
      const withheldCells =
        sum.parts.length -
        shownParts.length +
        (withheldPathsOf(sum.total.holder).has(sum.total.path) ? 1 : 0) +
        (sum.unlisted > 0 ? 1 : 0);
      if (withheldCells !== 1) continue;
      if (sum.unlisted > 0 && !isSmallCell(sum.unlisted, threshold)) continue;
      let next: { part: Json; value: number } | undefined;
      for (const part of shownParts) {
        const value = cellValue(part, rule);
        if (value !== null && value > 0 && (next === undefined || value < next.value)) next = { part, value };
      }
      if (next === undefined) continue;
      withholdObject(next.part, sum.partSpec, threshold, false, new Set([sum.rule]));
      changed = true;
    }
  }
}

/** Withholds the small entries of a code → count map in place; answers the codes withheld. */
function withholdCountMap(map: Json, threshold: number, whole: boolean): string[] {
  const counts = Object.entries(map).map(([code, value]) => ({ code, count: numberAt({ value }, 'value') }));
  const small = counts.filter(({ count }) => whole || isSmallCell(count, threshold)).map(({ code }) => code);
  if (small.length === 1) {
    const next = counts
      .filter(({ code, count }) => !small.includes(code) && count !== null && count > 0)
      .sort((left, right) => (left.count ?? 0) - (right.count ?? 0))[0];
    if (next !== undefined) small.push(next.code);
  }
  for (const code of small) map[code] = null;
  return small;
}

function withholdList(list: unknown[], spec: AnySmallCellSpec, threshold: number, whole: boolean): void {
  const objects = list.filter(isObject);
  const withheld = objects.map((element) => withholdObject(element, spec, threshold, whole));
  if (whole) return;
  (spec.cells ?? []).forEach((rule, index) => {
    if (rule.additive === false) return;
    const hiddenCount = withheld.filter((paths) => hidden(paths, rule)).length;
    if (hiddenCount !== 1) return;
    let next: { position: number; value: number } | undefined;
    objects.forEach((element, position) => {
      const paths = withheld[position];
      if (paths === undefined || hidden(paths, rule)) return;
      const value = cellValue(element, rule);
      if (value !== null && value > 0 && (next === undefined || value < next.value)) next = { position, value };
    });
    const chosen = next === undefined ? undefined : objects[next.position];
    if (next === undefined || chosen === undefined) return;
    const added = withholdObject(chosen, spec, threshold, false, new Set([index]));
    withheld[next.position] = added;
  });
}

function withholdValue(value: unknown, spec: AnySmallCellSpec, threshold: number, whole: boolean): void {
  if (Array.isArray(value)) withholdList(value, spec, threshold, whole);
  else if (isObject(value)) withholdObject(value, spec, threshold, whole);
}

/**
 * The answer with its small cells withheld, for a threshold (0 or 1: nothing
 * is withheld). The answer given is not changed: a copy is returned.
 */
export function suppressSmallCells<T>(answer: T, spec: SmallCellSpec<T>, threshold: number): Withheld<T> {
  return suppressDeclaredSmallCells(answer, spec as AnySmallCellSpec, threshold) as Withheld<T>;
}

/** The same, for an answer and a spec whose types a route's metadata no longer knows. */
export function suppressDeclaredSmallCells(answer: unknown, spec: AnySmallCellSpec, threshold: number): unknown {
  if (threshold <= 1) return answer;
  const copy: unknown = structuredClone(answer);
  withholdValue(copy, spec, threshold, false);
  return copy;
}
