import { SYNPUF_SERVICE_DAYS } from './desynpuf-claim-generators';
import type { ExpectedDrugEventKpis } from './expected-kpis';
import type { RecordGenerator } from './record-generator';
import { SeededRandom, WeightedChoice } from './seeded-random';
import { formatCents } from './value-formats';

/*
 * Distributions measured on the drug-event sample
 * (data/desynpuf/sample2/DE1_0_2008_to_2010_Prescription_Drug_Events_Sample_2_part1.csv):
 * the SynPUF rounds quantities, days of supply and amounts, so a few values dominate.
 */
const QUANTITIES_DISPENSED = new WeightedChoice<number>([
  [30, 52],
  [60, 12],
  [20, 8],
  [0, 6],
  [10, 5],
  [90, 4],
  [100, 3],
  [120, 3],
  [40, 3],
  [180, 2],
  [15, 2],
]);
const DAYS_SUPPLY = new WeightedChoice<number>([
  [30, 69],
  [10, 14],
  [20, 6],
  [0, 4],
  [90, 3],
  [50, 3],
  [60, 1],
]);
const PATIENT_PAY_DOLLARS = new WeightedChoice<number>([
  [0, 65],
  [10, 22],
  [30, 5],
  [20, 3],
  [40, 2],
  [70, 1],
  [50, 1],
  [60, 1],
]);
const TOTAL_DRUG_COST_DOLLARS = new WeightedChoice<number>([
  [10, 37],
  [0, 13],
  [20, 12],
  [30, 11],
  [40, 5],
  [160, 4],
  [140, 4],
  [50, 3],
  [60, 3],
  [80, 3],
  [100, 2],
  [200, 2],
  [300, 1],
  [500, 1],
]);

/** DE-SynPUF Part D prescription drug events: 8 columns, one paid drug event (one claim) per row. */
export class DrugEventRecordGenerator implements RecordGenerator<ExpectedDrugEventKpis> {
  private readonly members: string[];
  /** 11-digit NDCs (labeler, product, package), drawn once so products recur as they do in a feed. */
  private readonly productNdcs: string[];

  constructor(private readonly random: SeededRandom) {
    this.members = Array.from({ length: 20_000 }, () => random.hex(16));
    this.productNdcs = Array.from({ length: 3_000 }, () => random.digits(11));
  }

  appendRecord(claimNumber: number, rows: string[], expected: ExpectedDrugEventKpis): void {
    const random = this.random;
    const totalCostCents = TOTAL_DRUG_COST_DOLLARS.pick(random) * 100;
    // What the member paid never exceeds what the drug cost.
    const patientPayCents = Math.min(PATIENT_PAY_DOLLARS.pick(random) * 100, totalCostCents);
    expected.claims += 1;
    expected.totalDrugCostCents += totalCostCents;
    expected.patientPayAmountCents += patientPayCents;
    rows.push(
      [
        random.pick(this.members),
        String(claimNumber),
        random.pick(SYNPUF_SERVICE_DAYS),
        random.pick(this.productNdcs),
        `${QUANTITIES_DISPENSED.pick(random)}.000`,
        String(DAYS_SUPPLY.pick(random)),
        formatCents(patientPayCents),
        formatCents(totalCostCents),
      ].join(','),
    );
  }
}
