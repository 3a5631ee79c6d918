import { join } from 'node:path';
import { PEND_SEVERITIES, SOURCE_LAYOUT_NAME_PATTERN } from '@claims/contracts';
import { z } from 'zod';
import { loadPendCommentKeywords, NO_COMMENT_KEYWORDS, type PendCommentClassifier } from './comment-keywords';
import { PEND_PREDICATE_NAMES, PEND_PREDICATES, type PendTest } from './predicates';
import {
  describeIssues,
  parseRuleYaml,
  PendRuleSetError,
  readRuleFile,
  shippedRulesFolder,
  type RuleFileSource,
} from './rule-file';

export type PendSeverity = (typeof PEND_SEVERITIES)[number];

/** Severity as a rank: the most severe reason picks the queue. */
export const SEVERITY_RANK: Readonly<Record<PendSeverity, number>> = { low: 0, medium: 1, high: 2 };

/** A layout name, or a prefix of one ending in `*` (`desynpuf.*`). */
const LayoutPattern = z
  .string()
  .refine(
    (pattern) =>
      SOURCE_LAYOUT_NAME_PATTERN.test(pattern.endsWith('*') ? pattern.slice(0, -1).replace(/[._-]$/, '') : pattern),
    'expected a layout name, or a prefix of one ending in "*"',
  );

const PendRuleSchema = z.strictObject({
  code: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'expected an UPPER_SNAKE_CASE code'),
  description: z.string().min(1),
  queue: z.string().min(1),
  severity: z.enum(PEND_SEVERITIES),
  /** The predicate's name (predicates.ts). */
  when: z.string().min(1),
  params: z.record(z.string(), z.unknown()).optional(),
  /** Layouts the rule does not apply to (a source whose data cannot meet it). */
  skipLayouts: z.array(LayoutPattern).optional(),
  enabled: z.boolean().optional(),
});

const PendRuleFileSchema = z.strictObject({
  version: z.string().regex(/^\d{4}-\d{2}-\d{2}\.\d+$/, 'expected a version like 2026-12-01.1'),
  rules: z.array(z.unknown()).min(1),
});

/** One enabled rule, ready to run. */
export interface CompiledPendRule {
  readonly code: string;
  readonly description: string;
  readonly queue: string;
  readonly severity: PendSeverity;
  /** The predicate's name, for tracing. */
  readonly when: string;
  readonly referenceBased: boolean;
  readonly test: PendTest;
  appliesTo(layout: string): boolean;
}

/** A loaded rule file: its version (stamped on every decision), its enabled rules in file order, and the comment keywords. */
export interface PendRuleSet {
  readonly version: string;
  readonly rules: readonly CompiledPendRule[];
  /** Rules the file lists with `enabled: false`. */
  readonly disabledCodes: readonly string[];
  readonly commentKeywords: PendCommentClassifier;
}

const EVERY_LAYOUT = (): boolean => true;

function layoutFilter(skipLayouts: readonly string[] | undefined): (layout: string) => boolean {
  if (skipLayouts === undefined || skipLayouts.length === 0) return EVERY_LAYOUT;
  const exact = new Set(skipLayouts.filter((pattern) => !pattern.endsWith('*')));
  const prefixes = skipLayouts.filter((pattern) => pattern.endsWith('*')).map((pattern) => pattern.slice(0, -1));
  return (layout) => !exact.has(layout) && !prefixes.some((prefix) => layout.startsWith(prefix));
}

/**
 * Reads and checks a pend rule file, and compiles it: every predicate name
 * known, every code unique, every rule's params valid for its predicate. The
 * comment keyword file is optional (without it, an export row with a blank
 * reason is UNCLASSIFIED).
 * @throws PendRuleSetError naming the file, the rule and the key at fault.
 */
export function loadPendRuleSet(source: RuleFileSource, commentKeywords?: RuleFileSource): PendRuleSet {
  const { text, displayName } = readRuleFile(source, 'pend-rules.yaml');
  const file = PendRuleFileSchema.safeParse(parseRuleYaml(text, displayName));
  if (!file.success) {
    throw new PendRuleSetError(
      describeIssues('', file.error.issues)
        .map((line) => `${displayName}: ${line}`)
        .join('\n'),
    );
  }
  const problems: string[] = [];
  const rules: CompiledPendRule[] = [];
  const disabledCodes: string[] = [];
  const firstIndexByCode = new Map<string, number>();
  file.data.rules.forEach((raw, index) => {
    const rawCode = typeof raw === 'object' && raw !== null && 'code' in raw ? String(raw.code) : '?';
    const label = `rules[${index}] (${rawCode})`;
    const parsed = PendRuleSchema.safeParse(raw);
    if (!parsed.success) {
      problems.push(...describeIssues('', parsed.error.issues).map((line) => `${label}: ${line}`));
      return;
    }
    const rule = parsed.data;
    const first = firstIndexByCode.get(rule.code);
    if (first !== undefined) problems.push(`${label}: code: duplicate of rules[${first}]`);
    else firstIndexByCode.set(rule.code, index);
    const predicate = Object.hasOwn(PEND_PREDICATES, rule.when) ? PEND_PREDICATES[rule.when] : undefined;
    if (predicate === undefined) {
      problems.push(`${label}: when: unknown predicate "${rule.when}" (known: ${PEND_PREDICATE_NAMES.join(', ')})`);
      return;
    }
    // Params are checked even for a disabled rule, so enabling it later cannot fail the start.
    const built = predicate.build(rule.params);
    if ('issues' in built) {
      problems.push(...describeIssues('params', built.issues).map((line) => `${label}: ${line}`));
      return;
    }
    if (rule.enabled === false) {
      disabledCodes.push(rule.code);
      return;
    }
    rules.push({
      code: rule.code,
      description: rule.description,
      queue: rule.queue,
      severity: rule.severity,
      when: rule.when,
      referenceBased: predicate.referenceBased,
      test: built.test,
      appliesTo: layoutFilter(rule.skipLayouts),
    });
  });
  if (problems.length > 0) throw new PendRuleSetError(problems.map((line) => `${displayName}: ${line}`).join('\n'));
  return {
    version: file.data.version,
    rules,
    disabledCodes,
    commentKeywords: commentKeywords === undefined ? NO_COMMENT_KEYWORDS : loadPendCommentKeywords(commentKeywords),
  };
}

/**
 * The rule set the repository ships (`rules/pend-rules.yaml` with
 * `rules/pend-comment-keywords.yaml`), or the files in `folder` when an
 * operator keeps their own.
 */
export function loadShippedPendRuleSet(folder: string = shippedRulesFolder()): PendRuleSet {
  return loadPendRuleSet(
    { path: join(folder, 'pend-rules.yaml') },
    { path: join(folder, 'pend-comment-keywords.yaml') },
  );
}
