import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';

/**
 * Why a pend rule file cannot be used. The message names the file, the rule
 * and the key (`pend-rules.yaml: rules[3] (HIGH_DOLLAR): params.thresholdDollars.default: …`),
 * so whoever edits the rules can fix them without reading code; the enricher
 * refuses to start on it rather than pend claims by a half-read rule set.
 */
export class PendRuleSetError extends Error {
  readonly code = 'PEND_RULES_INVALID';
  readonly retriable = false;

  constructor(message: string) {
    super(message);
    this.name = 'PendRuleSetError';
  }
}

/**
 * A rule file: `{ path }`, or a string that is its YAML text when it spans
 * lines and a path otherwise (a rule file cannot fit on one line in practice;
 * a mistyped path then fails as "cannot read", not as a YAML error).
 */
export type RuleFileSource = string | { path: string };

/** The text of a rule file and the name errors call it by (its file name, never a directory). */
export function readRuleFile(source: RuleFileSource, defaultName: string): { text: string; displayName: string } {
  if (typeof source === 'string' && source.includes('\n')) return { text: source, displayName: defaultName };
  const path = typeof source === 'string' ? source : source.path;
  try {
    return { text: readFileSync(path, 'utf8'), displayName: path.split(/[\\/]/).pop() ?? defaultName };
  } catch (error) {
    const detail = error instanceof Error ? error.message : 'unreadable';
    throw new PendRuleSetError(`${path}: cannot read: ${detail}`);
  }
}

/** Parses YAML strictly (a repeated key is an error, not a silent override). */
export function parseRuleYaml(text: string, displayName: string): unknown {
  try {
    return parseYaml(text, { uniqueKeys: true, prettyErrors: false });
  } catch (error) {
    const detail = error instanceof Error ? (error.message.split('\n')[0] ?? '') : 'unreadable';
    throw new PendRuleSetError(`${displayName}: not valid YAML: ${detail}`);
  }
}

/** One line per zod issue, led by its path below `prefix` (nothing when the issue is about the whole object). */
export function describeIssues(prefix: string, issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.flatMap((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter((part) => part !== '').join('.');
    const lead = path === '' ? '' : `${path}: `;
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => `${lead}unknown key "${key}"`);
    return [`${lead}${issue.message}`];
  });
}

/**
 * The shipped `rules/` folder at the repository root: found by walking up
 * from this file, because the same code runs from libs/enrichment/src under
 * the tests and from dist/… once built.
 */
export function shippedRulesFolder(): string {
  for (let directory = __dirname; ; directory = dirname(directory)) {
    const candidate = join(directory, 'rules');
    if (existsSync(join(directory, 'package.json')) && existsSync(join(candidate, 'pend-rules.yaml'))) return candidate;
    if (dirname(directory) === directory) throw new PendRuleSetError(`no rules/pend-rules.yaml above ${__dirname}`);
  }
}
