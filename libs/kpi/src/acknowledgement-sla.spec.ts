import {
  AcknowledgementSlaConfigError,
  OTHER_PAYERS_LABEL,
  acknowledgementSlaHoursFor,
  acknowledgementSlaParameters,
  awaitedAcknowledgements,
  isAcknowledgementOverdue,
  overdueSubmissionOf,
  parseAcknowledgementSlaHoursByPayer,
  payersToLabel,
  submissionAgeHours,
  withBoundedPayers,
} from './acknowledgement-sla';

describe('parseAcknowledgementSlaHoursByPayer', () => {
  it('reads payer=hours pairs, keyed by the payer trimmed and upper-cased', () => {
    expect([...parseAcknowledgementSlaHoursByPayer(' Medicare Part B=48, aetna =12')]).toEqual([
      ['MEDICARE PART B', 48],
      ['AETNA', 12],
    ]);
  });

  it('reads nothing from an empty value', () => {
    expect(parseAcknowledgementSlaHoursByPayer('  ').size).toBe(0);
  });

  it('splits a payer name holding "=" at the last one', () => {
    expect([...parseAcknowledgementSlaHoursByPayer('A=B HEALTH=36')]).toEqual([['A=B HEALTH', 36]]);
  });

  it.each([
    ['an entry without hours', 'MEDICARE'],
    ['hours that are not whole', 'MEDICARE=1.5'],
    ['zero hours', 'MEDICARE=0'],
    ['more than a year', 'MEDICARE=8761'],
    ['a blank payer', '=24'],
    ['a payer named twice, spelled apart', 'Medicare=24,MEDICARE =48'],
  ])('refuses %s', (_, value) => {
    expect(() => parseAcknowledgementSlaHoursByPayer(value)).toThrow(AcknowledgementSlaConfigError);
  });
});

describe('acknowledgementSlaHoursFor', () => {
  const policy = { defaultHours: 24, hoursByPayer: parseAcknowledgementSlaHoursByPayer('MEDICARE=48') };

  it("uses a payer's own SLA whatever the case and spaces of its name in the 837", () => {
    expect(acknowledgementSlaHoursFor(policy, ' medicare ')).toBe(48);
  });

  it('uses the default for a payer not named', () => {
    expect(acknowledgementSlaHoursFor(policy, 'AETNA')).toBe(24);
  });

  it('hands SQL the payers and their hours side by side, then the default', () => {
    expect(acknowledgementSlaParameters(policy)).toEqual([['MEDICARE'], [48], 24]);
  });
});

describe('submission age and overdue', () => {
  it('ages a submission in whole days of event time, 24 hours a day, never below zero', () => {
    expect(submissionAgeHours('2024-03-01', '2024-03-01')).toBe(0);
    expect(submissionAgeHours('2024-03-01', '2024-03-02')).toBe(24);
    expect(submissionAgeHours('2024-02-28', '2024-03-01')).toBe(48);
    expect(submissionAgeHours('2024-03-05', '2024-03-01')).toBe(0);
  });

  it('is overdue from the day its age reaches the SLA: a 24-hour SLA the day after submission', () => {
    expect(isAcknowledgementOverdue(0, 24)).toBe(false);
    expect(isAcknowledgementOverdue(24, 24)).toBe(true);
    // A 36-hour SLA is passed for certain only two days on.
    expect(isAcknowledgementOverdue(24, 36)).toBe(false);
    expect(isAcknowledgementOverdue(48, 36)).toBe(true);
  });
});

describe('awaitedAcknowledgements', () => {
  it('awaits the 999 and the 277CA when nothing came back', () => {
    expect(awaitedAcknowledgements({ setAcknowledged: false, setRejected: false, claimAnswered: false })).toEqual([
      '999',
      '277ca',
    ]);
  });

  it('awaits only the 277CA once a 999 accepted the transaction set', () => {
    expect(awaitedAcknowledgements({ setAcknowledged: true, setRejected: false, claimAnswered: false })).toEqual([
      '277ca',
    ]);
  });

  it('awaits nothing once a 277CA or an 835 answered the claim, even without a 999', () => {
    expect(awaitedAcknowledgements({ setAcknowledged: false, setRejected: false, claimAnswered: true })).toEqual([]);
  });

  it('awaits no 277CA for a set the 999 rejected: it never reached the payer', () => {
    expect(awaitedAcknowledgements({ setAcknowledged: true, setRejected: true, claimAnswered: false })).toEqual([]);
  });
});

describe('overdueSubmissionOf', () => {
  it('says how long the submission waited, past its SLA, and what has not come back', () => {
    expect(
      overdueSubmissionOf(
        {
          payer: 'MEDICARE',
          patient_control_number: 'PCN-1',
          billing_npi: '1234567893',
          submitted_on: '2024-03-01',
          sender_id: 'SUBMITTER1',
          group_control_number: '101',
          transaction_control_number: '0001',
          set_acknowledged: true,
          sla_hours: 24,
        },
        '2024-03-04',
      ),
    ).toEqual({
      payer: 'MEDICARE',
      patientControlNumber: 'PCN-1',
      billingNpi: '1234567893',
      senderId: 'SUBMITTER1',
      groupControlNumber: '101',
      transactionControlNumber: '0001',
      submittedOn: '2024-03-01',
      ageHours: 72,
      slaHours: 24,
      hoursOverdue: 48,
      awaiting: ['277ca'],
    });
  });
});

describe('bounded payer labels', () => {
  it('names the heaviest payers, overdue before backlog, ties by name', () => {
    const weights = new Map<string, number[]>([
      ['C', [0, 100]],
      ['B', [1, 1]],
      ['A', [1, 1]],
      ['D', [5, 0]],
    ]);
    expect([...payersToLabel(weights, 3)]).toEqual(['D', 'A', 'B']);
  });

  it('gathers every other payer under "other", summing counts and keeping the largest age', () => {
    const samples = [
      { labels: { payer: 'A', awaiting: '999' }, value: 1 },
      { labels: { payer: 'B', awaiting: '999' }, value: 2 },
      { labels: { payer: 'C', awaiting: '999' }, value: 3 },
      { labels: { payer: 'C', awaiting: '277ca' }, value: 4 },
    ];
    expect(withBoundedPayers(samples, new Set(['C']), 'sum')).toEqual([
      { labels: { payer: OTHER_PAYERS_LABEL, awaiting: '999' }, value: 3 },
      { labels: { payer: 'C', awaiting: '999' }, value: 3 },
      { labels: { payer: 'C', awaiting: '277ca' }, value: 4 },
    ]);
    expect(withBoundedPayers(samples, new Set(['C']), 'max')[0]).toEqual({
      labels: { payer: OTHER_PAYERS_LABEL, awaiting: '999' },
      value: 2,
    });
  });
});
