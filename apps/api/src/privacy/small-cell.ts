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

/** Where a response's cells are. Applied to an array, it describes each element; the elements form a breakdown. */
export interface SmallCellSpec<T> {
  cells?: ReadonlyArray<SmallCellRule<FieldPath<T>>>;
  /** Nested objects and lists, each with its own cells. */
  nested?: { readonly [K in keyof T]?: SmallCellSpec<ElementOf<NonNullable<T[K]>>> };
  /** Properties that map a code to a count (`linesByProcessingIndicator`): each entry a cell of its own. */
  countMaps?: ReadonlyArray<keyof T & string>;
}

/** A spec with its types erased: what a route's metadata holds. */
export interface AnySmallCellSpec {
  cells?: ReadonlyArray<SmallCellRule>;
  nested?: { readonly [key: string]: AnySmallCellSpec | undefined };
  countMaps?: readonly string[];
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
function hidden(withheld: ReadonlySet<string>, rule: SmallCellRule): boolean {
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
  return applied;
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
