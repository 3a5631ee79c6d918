export {
  ReferenceTables,
  memberDependencyKey,
  type HeldRecordByKind,
  type MemberCoverageRecord,
  type ReferenceTableCounts,
  type ReferenceVersion,
} from './reference-tables';
