import {
  PAYER_LABEL_LIMIT,
  payersToLabel,
  withBoundedPayers,
  type AcknowledgementBacklogRow,
  type ClaimAcknowledgementVerdictRow,
  type GaugeSample,
} from '@claims/kpi';

const SECONDS_PER_DAY = 86_400;

/** The labelled samples of the acknowledgement gauges, one list per gauge. */
export interface AcknowledgementGaugeSamples {
  unacknowledged: GaugeSample[];
  overdue: GaugeSample[];
  oldestAgeSeconds: GaugeSample[];
  claimsAcknowledged: GaugeSample[];
  claimsRejected: GaugeSample[];
}

function addWeight(weights: Map<string, number[]>, payer: string, weight: readonly number[]): void {
  const kept = weights.get(payer) ?? weight.map(() => 0);
  weights.set(
    payer,
    kept.map((value, index) => value + (weight[index] ?? 0)),
  );
}

/**
 * The rows the snapshot read, as gauge samples with at most `payerLimit`
 * payers named per family (the rest under payer="other"): the backlog
 * families name the payers with the most overdue, then the most awaiting;
 * the 277CA families those with the most rejections, then the most verdicts,
 * over the seven days.
 */
export function acknowledgementGaugeSamples(
  backlog: readonly AcknowledgementBacklogRow[],
  verdicts: readonly ClaimAcknowledgementVerdictRow[],
  payerLimit = PAYER_LABEL_LIMIT,
): AcknowledgementGaugeSamples {
  const backlogWeights = new Map<string, number[]>();
  for (const row of backlog) addWeight(backlogWeights, row.payer, [Number(row.overdue), Number(row.submissions)]);
  const backlogPayers = payersToLabel(backlogWeights, payerLimit);
  const verdictWeights = new Map<string, number[]>();
  for (const row of verdicts) {
    addWeight(verdictWeights, row.payer, [Number(row.rejected_7d), Number(row.acknowledged_7d)]);
  }
  const verdictPayers = payersToLabel(verdictWeights, payerLimit);
  const byAwaiting = (valueOf: (row: AcknowledgementBacklogRow) => number): GaugeSample[] =>
    withBoundedPayers(
      backlog.map((row) => ({ labels: { payer: row.payer, awaiting: row.awaiting }, value: valueOf(row) })),
      backlogPayers,
      'sum',
    );
  const byWindow = (
    oneDay: (row: ClaimAcknowledgementVerdictRow) => number,
    sevenDays: (row: ClaimAcknowledgementVerdictRow) => number,
  ): GaugeSample[] =>
    withBoundedPayers(
      verdicts.flatMap((row) => [
        { labels: { payer: row.payer, window: '1d' }, value: Number(oneDay(row)) },
        { labels: { payer: row.payer, window: '7d' }, value: Number(sevenDays(row)) },
      ]),
      verdictPayers,
      'sum',
    );
  return {
    unacknowledged: byAwaiting((row) => Number(row.submissions)),
    overdue: byAwaiting((row) => Number(row.overdue)),
    oldestAgeSeconds: withBoundedPayers(
      backlog.map((row) => ({ labels: { payer: row.payer }, value: Number(row.oldest_age_days) * SECONDS_PER_DAY })),
      backlogPayers,
      'max',
    ),
    claimsAcknowledged: byWindow(
      (row) => row.acknowledged_1d,
      (row) => row.acknowledged_7d,
    ),
    claimsRejected: byWindow(
      (row) => row.rejected_1d,
      (row) => row.rejected_7d,
    ),
  };
}
