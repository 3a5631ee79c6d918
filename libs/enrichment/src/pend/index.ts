export { PendRuleSetError, shippedRulesFolder, type RuleFileSource } from './rule-file';
export {
  duplicateFingerprints,
  NO_DUPLICATES,
  type FingerprintHolder,
  type PendContext,
} from './duplicate-fingerprints';
export {
  claimAmountCents,
  PEND_PREDICATE_NAMES,
  PEND_PREDICATES,
  type PendPredicate,
  type PendRuleInput,
  type PendTest,
} from './predicates';
export * from './comment-keywords';
export * from './pend-rule-set';
export * from './decide-pend';
export * from './adjudication-clear';
