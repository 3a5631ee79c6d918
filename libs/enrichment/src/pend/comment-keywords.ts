import { z } from 'zod';
import { describeIssues, parseRuleYaml, PendRuleSetError, readRuleFile, type RuleFileSource } from './rule-file';

/** The reason code of an export row whose reason is blank and whose comments match no keyword rule. */
export const UNCLASSIFIED_PEND_REASON = 'UNCLASSIFIED';

const RuleVersion = z.string().regex(/^\d{4}-\d{2}-\d{2}\.\d+$/, 'expected a version like 2026-12-01.1');

const KeywordRuleSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'expected lower-case words joined by "-"'),
    reason: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'expected an UPPER_SNAKE_CASE reason code'),
    queue: z.string().min(1),
    description: z.string().min(1).optional(),
    /** Words or phrases, matched whole and ignoring case. */
    keywords: z.array(z.string().trim().min(1)).min(1).optional(),
    /** A regular expression, matched ignoring case, for what keywords cannot say. */
    pattern: z.string().min(1).optional(),
  })
  .refine((rule) => (rule.keywords === undefined) !== (rule.pattern === undefined), {
    message: 'give exactly one of keywords, pattern',
  });

const CommentKeywordFileSchema = z.strictObject({
  version: RuleVersion,
  /** The queue of an UNCLASSIFIED reason when the export names no queue either. */
  unclassifiedQueue: z.string().min(1).default('Pend Triage'),
  rules: z.array(z.unknown()),
});

/** What a keyword rule made of an adjudicator's comment. */
export interface CommentClassification {
  readonly ruleId: string;
  readonly reason: string;
  readonly queue: string;
  readonly description: string;
}

/** The compiled keyword rules: first match wins. */
export interface PendCommentClassifier {
  readonly version: string;
  readonly unclassifiedQueue: string;
  classify(comments: string | null | undefined): CommentClassification | null;
}

interface CompiledKeywordRule extends CommentClassification {
  readonly matcher: RegExp;
}

/** A classifier with no rules: every blank reason is UNCLASSIFIED. */
export const NO_COMMENT_KEYWORDS: PendCommentClassifier = {
  version: 'none',
  unclassifiedQueue: 'Pend Triage',
  classify: () => null,
};

const REGEX_SPECIALS = /[.*+?^${}()|[\]\\]/g;

/**
 * Keywords as one expression: each keyword whole (not inside a longer word:
 * "dup" does not match "duplex"), any run of spaces in a phrase matching any
 * whitespace. Compiled once, at load.
 */
function keywordMatcher(keywords: readonly string[]): RegExp {
  const alternatives = keywords.map((keyword) => keyword.replace(REGEX_SPECIALS, '\\$&').replace(/\s+/g, '\\s+'));
  return new RegExp(`(?<![\\p{L}\\p{N}_])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}_])`, 'iu');
}

/**
 * Reads the comment keyword file (`rules/pend-comment-keywords.yaml`): a
 * versioned list of `{ id, reason, queue, keywords | pattern }`.
 * @throws PendRuleSetError naming the file and rule at fault.
 */
export function loadPendCommentKeywords(source: RuleFileSource): PendCommentClassifier {
  const { text, displayName } = readRuleFile(source, 'pend-comment-keywords.yaml');
  const parsed = CommentKeywordFileSchema.safeParse(parseRuleYaml(text, displayName));
  if (!parsed.success) {
    throw new PendRuleSetError(
      describeIssues('', parsed.error.issues)
        .map((line) => `${displayName}: ${line}`)
        .join('\n'),
    );
  }
  const problems: string[] = [];
  const rules: CompiledKeywordRule[] = [];
  const seen = new Map<string, number>();
  parsed.data.rules.forEach((raw, index) => {
    const rawId = typeof raw === 'object' && raw !== null && 'id' in raw ? String(raw.id) : '?';
    const label = `rules[${index}] (${rawId})`;
    const rule = KeywordRuleSchema.safeParse(raw);
    if (!rule.success) {
      problems.push(...describeIssues('', rule.error.issues).map((line) => `${label}: ${line}`));
      return;
    }
    const first = seen.get(rule.data.id);
    if (first !== undefined) problems.push(`${label}: id: duplicate of rules[${first}]`);
    seen.set(rule.data.id, index);
    let matcher: RegExp;
    try {
      matcher = rule.data.keywords ? keywordMatcher(rule.data.keywords) : new RegExp(rule.data.pattern ?? '', 'i');
    } catch (error) {
      problems.push(`${label}: pattern: ${error instanceof Error ? error.message : 'not a regular expression'}`);
      return;
    }
    rules.push({
      ruleId: rule.data.id,
      reason: rule.data.reason,
      queue: rule.data.queue,
      description: rule.data.description ?? `Classified from the adjudicator comments by keyword rule ${rule.data.id}`,
      matcher,
    });
  });
  if (problems.length > 0) throw new PendRuleSetError(problems.map((line) => `${displayName}: ${line}`).join('\n'));
  return {
    version: parsed.data.version,
    unclassifiedQueue: parsed.data.unclassifiedQueue,
    classify(comments) {
      if (comments == null || comments === '') return null;
      for (const rule of rules) if (rule.matcher.test(comments)) return rule;
      return null;
    },
  };
}
