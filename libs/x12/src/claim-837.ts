import type { ClaimLine, ClaimType, DataQualityFinding } from '@claims/contracts';
import { tokenizePatientId } from '@claims/source-layouts';
import { X12Error } from './x12.errors';
import type { X12Segment } from './x12-segments';
import { amountCentsOf, blankToNull, componentsOf, dateOf, dateRangeOf, elementOf, quantityOf } from './x12-values';

/** One claim (2300 loop) of an 837, as the canonical claim needs it; no member id survives. */
export interface Claim837 {
  /** CLM01, the patient control number: what the 835 (CLP01) and 277CA answer with. */
  claimId: string;
  claimType: ClaimType;
  patientToken: string;
  payer: string;
  billingNpi: string | null;
  billingTaxId: string | null;
  renderingProvider: { npi: string | null; firstName: string | null; lastName: string | null } | null;
  attendingNpi: string | null;
  operatingNpi: string | null;
  facilityNpi: string | null;
  billedAmountCents: number;
  billType: string | null;
  /** CLM05-3, the claim frequency type code (1 original, 7 replacement, 8 void of a prior claim); absent when blank. */
  frequencyCode?: string;
  placeOfServiceCode: string | null;
  serviceFromDate: string;
  serviceThroughDate: string;
  admissionDate: string | null;
  diagnoses: Array<{ code: string; system: 'ICD-9-CM' | 'ICD-10-CM' }>;
  procedures: Array<{ code: string; system: 'ICD-9-CM' | 'ICD-10-PCS' }>;
  drgCode: string | null;
  lines: ClaimLine[];
  /** BHT04: when the submitter created the transaction set. */
  createdDate: string | null;
  /** The CLM segment's number in the file, for locating what went wrong with this claim. */
  segmentNumber: number;
  /** What is wrong with the claim as sent but does not stop it (a CLM02 that is not the sum of its lines). */
  dataQuality: DataQualityFinding[];
}

/**
 * HI qualifiers (005010X222A1 2300 HI, 005010X223A2 2300 HI; code list
 * 1270): ABK/ABF/ABJ/APR/ABN are ICD-10-CM principal, other, admitting,
 * reason-for-visit and external cause; BK/BF/BJ/PR/BN their ICD-9-CM twins.
 */
const DIAGNOSIS_QUALIFIERS: ReadonlyMap<string, 'ICD-9-CM' | 'ICD-10-CM'> = new Map([
  ['ABK', 'ICD-10-CM'],
  ['ABF', 'ICD-10-CM'],
  ['ABJ', 'ICD-10-CM'],
  ['APR', 'ICD-10-CM'],
  ['ABN', 'ICD-10-CM'],
  ['BK', 'ICD-9-CM'],
  ['BF', 'ICD-9-CM'],
  ['BJ', 'ICD-9-CM'],
  ['PR', 'ICD-9-CM'],
  ['BN', 'ICD-9-CM'],
]);
/** BBR/BBQ: ICD-10-PCS principal and other procedures; BR/BQ: ICD-9-CM volume 3 (837I only). */
const PROCEDURE_QUALIFIERS: ReadonlyMap<string, 'ICD-9-CM' | 'ICD-10-PCS'> = new Map([
  ['BBR', 'ICD-10-PCS'],
  ['BBQ', 'ICD-10-PCS'],
  ['BR', 'ICD-9-CM'],
  ['BQ', 'ICD-9-CM'],
]);

export interface Claims837Options {
  kind: 'professional' | 'institutional';
  patientTokenKey: string;
}

interface Party {
  npi: string | null;
  firstName: string | null;
  lastName: string | null;
}

/** NM1: the NPI when NM108 says XX (the only identifier the canonical claim keeps for providers). */
function partyOf(nm1: X12Segment): Party {
  const npi = elementOf(nm1, 8) === 'XX' ? blankToNull(elementOf(nm1, 9)) : null;
  const person = elementOf(nm1, 2) === '1';
  return {
    npi,
    lastName: blankToNull(elementOf(nm1, 3)),
    firstName: person ? blankToNull(elementOf(nm1, 4)) : null,
  };
}

/**
 * The type of bill's second digit is its classification (NUBC UB-04 FL 4):
 * 1 inpatient (Part A), 2 inpatient (Part B); anything else is billed as
 * outpatient for the canonical claim's purposes. Not for every facility
 * type: after a 7 (clinic) or an 8 (special facility) the second digit names
 * the kind of clinic or facility (71x rural health clinic, 72x ESRD, 81x/82x
 * hospice, 83x ambulatory surgery centre, 85x critical access hospital), and
 * a 3 (home health) is care at home (32x: under a plan of treatment), never
 * an inpatient stay.
 */
const NO_INPATIENT_CLASSIFICATION = new Set(['3', '7', '8']);
function institutionalClaimType(billType: string | null): ClaimType {
  if (NO_INPATIENT_CLASSIFICATION.has(billType?.[0] ?? '')) return 'institutional_outpatient';
  const classification = billType?.[1];
  return classification === '1' || classification === '2' ? 'institutional_inpatient' : 'institutional_outpatient';
}

/** What a claim inherits from the loops above it (2000A billing provider, 2000B subscriber, 2000C patient). */
interface HierarchyState {
  billing: Party | null;
  billingTaxId: string | null;
  subscriberId: string | null;
  /** A dependent patient has no member id in 005010: name and birth date stand in, hashed with the subscriber id. */
  patientIdentity: string | null;
  /** Under a 2000C patient HL: the patient is a dependent, not the subscriber, whether or not 2010CA names them. */
  dependent: boolean;
  payer: string | null;
  /**
   * NM101 of the hierarchy's last NM1 (85 billing provider, 87 pay-to, PE
   * pay-to plan, IL subscriber, PR payer, QC patient): the loop a REF stands in.
   */
  entity: string | null;
  /** Where the last NM1 or HL put the reader, to tell 2010BA's NM1*IL from a claim's own NM1s. */
  loop: '2000A' | '2000B' | '2000C' | '2300' | '2400';
}

interface ClaimDraft {
  clm: X12Segment;
  hierarchy: HierarchyState;
  rendering: Party | null;
  attendingNpi: string | null;
  operatingNpi: string | null;
  facilityNpi: string | null;
  statement: { from: string; through: string } | null;
  admissionDate: string | null;
  /** In the order the HI composites name them: what SV107's pointers count (1 = HI01). */
  diagnoses: Claim837['diagnoses'];
  procedures: Claim837['procedures'];
  /** Where the principal diagnosis (ABK/BK) and procedure (BBR/BR) stand in those lists, when one was named. */
  principalDiagnosisAt: number | null;
  principalProcedureAt: number | null;
  drgCode: string | null;
  lines: ClaimLine[];
  /** The 2400 loop being read: its LX, and the line its SV1/SV2 made (null until then). */
  line: { rendering: string | null; segment: X12Segment; service: ClaimLine | null } | null;
  /** The latest end of a line's DTP*472 range: a line dated RD8 keeps only its first day, the claim its span. */
  lastLineThrough: string | null;
  /** Inside 2320/2330 (other subscriber, after a claim-level SBR): their NM1s name another payer's parties. */
  otherPayerLoop: boolean;
  /** The claim's 2320 loops in order: each earlier payer's responsibility (SBR01) and its 2330B id (NM109). */
  otherPayers: OtherPayer[];
  /** What is wrong with the claim as sent, found while reading it (composites written with an undeclared separator). */
  findings: DataQualityFinding[];
}

/** One 2320 loop: SBR01 (P primary, S secondary, T tertiary, A..H the fourth to eleventh payer, U unknown) and 2330B NM109. */
interface OtherPayer {
  responsibility: string;
  payerId: string | null;
}

/** What a billing provider's HL (level 20) starts from: nothing of the provider, subscriber or patient before it. */
const BILLING_PROVIDER_LEVEL_START = {
  billing: null,
  billingTaxId: null,
  subscriberId: null,
  patientIdentity: null,
  dependent: false,
  payer: null,
} as const satisfies Partial<HierarchyState>;

/**
 * The claims of one 837 transaction set (ST..SE), professional or
 * institutional, in file order. Walks the HL hierarchy (20 billing provider,
 * 22 subscriber, 23 patient) so every CLM gets the parties above it, however
 * many subscribers a provider and claims a subscriber has.
 * @throws X12Error for a claim that cannot be read (amount, date, missing CLM01)
 */
export function claimsOf837(segments: readonly X12Segment[], options: Claims837Options): Claim837[] {
  const claims: Claim837[] = [];
  let state: HierarchyState = { ...BILLING_PROVIDER_LEVEL_START, entity: null, loop: '2000A' };
  const levels: HierarchyLevels = new Map();
  let createdDate: string | null = null;
  let draft: ClaimDraft | null = null;
  const finish = (): void => {
    if (draft) claims.push(finishClaim(draft, options, createdDate));
    draft = null;
  };

  const asWritten = componentsAsWritten(segments);
  for (const segment of asWritten.segments) {
    const tag = segment.tag;
    if (tag === 'BHT') {
      createdDate = elementOf(segment, 4) === '' ? null : dateOf(segment, 4);
      continue;
    }
    if (tag === 'HL') {
      finish();
      state = hierarchyLevelOf(segment, state, levels);
      continue;
    }
    if (tag === 'CLM') {
      finish();
      draft = {
        clm: segment,
        hierarchy: { ...state },
        rendering: null,
        attendingNpi: null,
        operatingNpi: null,
        facilityNpi: null,
        statement: null,
        admissionDate: null,
        diagnoses: [],
        procedures: [],
        principalDiagnosisAt: null,
        principalProcedureAt: null,
        drgCode: null,
        lines: [],
        line: null,
        otherPayerLoop: false,
        otherPayers: [],
        lastLineThrough: null,
        findings: asWritten.redeclared
          ? [
              {
                code: 'COMPONENT_SEPARATOR_UNDECLARED',
                field: 'ISA16',
                message:
                  `the claim's composites (CLM05 at segment ${segment.number}) use a component separator other ` +
                  'than the one ISA16 declares: they are read with the one they use',
              },
            ]
          : [],
      };
      state.loop = '2300';
      continue;
    }
    if (draft === null) {
      readHierarchySegment(segment, state);
      continue;
    }
    readClaimSegment(segment, draft);
  }
  finish();
  return claims;
}

/** The HLs read so far by their id (HL01): their level (HL03) and what their loops named, for the HLs below them. */
type HierarchyLevels = Map<string, { level: string; state: HierarchyState }>;

/** 2000B subscribers sit under a 2000A billing provider, 2000C patients under a 2000B subscriber. */
const PARENT_LEVEL: ReadonlyMap<string, { parent: string; name: string; parentName: string }> = new Map([
  ['22', { parent: '20', name: 'subscriber', parentName: 'billing provider' }],
  ['23', { parent: '22', name: 'patient', parentName: 'subscriber' }],
]);

/**
 * The parties an HL's claims inherit. A subscriber or patient HL inherits
 * from the HL its HL02 names, not from whichever HL came last: a subscriber
 * listed after a second billing provider but pointing at the first is the
 * first one's (its NPI is half of the key its 835 and 277CA join by). An HL02
 * that names no earlier HL of the level above leaves its claims without a
 * billing provider or subscriber anyone can vouch for: the set is refused.
 * @throws X12Error X12_SEGMENT_INVALID
 */
function hierarchyLevelOf(hl: X12Segment, current: HierarchyState, levels: HierarchyLevels): HierarchyState {
  const id = elementOf(hl, 1);
  const level = elementOf(hl, 3);
  if (id === '' || levels.has(id)) {
    throw new X12Error('X12_SEGMENT_INVALID', "HL01 is blank or repeats an earlier HL's id", {
      segmentNumber: hl.number,
      elementPosition: 1,
    });
  }
  let state: HierarchyState;
  const expected = PARENT_LEVEL.get(level);
  if (level === '20') {
    state = { ...current, ...BILLING_PROVIDER_LEVEL_START, loop: '2000A' };
  } else if (expected) {
    const parent = levels.get(elementOf(hl, 2));
    if (parent?.level !== expected.parent) {
      throw new X12Error(
        'X12_SEGMENT_INVALID',
        `HL02 of the ${expected.name} HL names no earlier ${expected.parentName} HL`,
        { segmentNumber: hl.number, elementPosition: 2 },
      );
    }
    state =
      level === '22'
        ? { ...parent.state, subscriberId: null, patientIdentity: null, dependent: false, payer: null, loop: '2000B' }
        : { ...parent.state, patientIdentity: null, dependent: true, loop: '2000C' };
  } else {
    state = { ...current };
  }
  state.entity = null;
  // The same object the loop's NM1/REF/DMG then fill in: the HLs below see it complete.
  levels.set(id, { level, state });
  return state;
}

/** CLM05 as both guides write it: a two-character facility code, its qualifier (A bill type, B place of service), the frequency code. */
const CLM05_SHAPE = /^[0-9A-Z]{2}([^0-9A-Za-z\s])[AB]\1[0-9A-Z]$/;

/**
 * The set's segments with the component separator its composites are
 * written with. Some writers declare one in ISA16 and use another (seven of
 * the 22 vendored 005010 837s declare `:` and write `HC>98940`, `BK>7215`,
 * `11>B>1`); read by ISA16 such a claim has no procedure codes, no
 * diagnoses and a place of service of `11>B>1`. Only when no CLM05 holds the
 * declared separator and every CLM05 is the guides' three-part composite
 * around one other character is that character taken: CLM05's shape leaves
 * no doubt, and the claims say so (a finding).
 */
function componentsAsWritten(segments: readonly X12Segment[]): {
  segments: readonly X12Segment[];
  redeclared: boolean;
} {
  let used: string | null = null;
  for (const segment of segments) {
    if (segment.tag !== 'CLM') continue;
    const clm05 = elementOf(segment, 5);
    if (clm05 === '') continue;
    const separator = clm05.includes(segment.separators.component) ? undefined : CLM05_SHAPE.exec(clm05)?.[1];
    if (separator === undefined || (used !== null && separator !== used)) return { segments, redeclared: false };
    used = separator;
  }
  if (used === null) return { segments, redeclared: false };
  const component = used;
  return {
    segments: segments.map((segment) => ({ ...segment, separators: { ...segment.separators, component } })),
    redeclared: true,
  };
}

function readHierarchySegment(segment: X12Segment, state: HierarchyState): void {
  switch (segment.tag) {
    case 'NM1': {
      const entity = elementOf(segment, 1);
      state.entity = entity;
      if (entity === '85') state.billing = partyOf(segment);
      else if (entity === 'IL') state.subscriberId = blankToNull(elementOf(segment, 9));
      else if (entity === 'PR') state.payer = blankToNull(elementOf(segment, 3)) ?? blankToNull(elementOf(segment, 9));
      else if (entity === 'QC') {
        // 005010 dropped the patient's member id (NM108/09 are not used in 2010CA); name and DMG identify them.
        // Providers write the same name in their own case and spacing: the identity is the name, not its typing.
        state.patientIdentity = ['QC', elementOf(segment, 3), elementOf(segment, 4), elementOf(segment, 9)]
          .join('|')
          .replace(/\s+/g, ' ')
          .toUpperCase();
      }
      return;
    }
    case 'DMG':
      if (state.patientIdentity !== null) state.patientIdentity += `|${elementOf(segment, 2)}`;
      return;
    case 'REF':
      // 2010AA REF*EI: the billing provider's employer identification number (tax id). Only there:
      // 2010AC (pay-to plan tax id) and 2010BB (payer secondary id) may carry a REF*EI of their own.
      if (elementOf(segment, 1) === 'EI' && state.entity === '85' && state.billingTaxId === null) {
        state.billingTaxId = blankToNull(elementOf(segment, 2));
      }
      return;
    default:
      return;
  }
}

function readClaimSegment(segment: X12Segment, draft: ClaimDraft): void {
  switch (segment.tag) {
    case 'SBR':
      draft.otherPayerLoop = true;
      draft.otherPayers.push({ responsibility: elementOf(segment, 1), payerId: null });
      return;
    case 'SVD':
      readLineAdjudication(segment, draft);
      return;
    case 'NM1': {
      const entity = elementOf(segment, 1);
      const party = partyOf(segment);
      // 2330B: the other payer of the 2320 just opened, by the id its lines' SVD01 name it with.
      const otherPayer = draft.otherPayerLoop && !draft.line ? draft.otherPayers.at(-1) : undefined;
      if (otherPayer && entity === 'PR') otherPayer.payerId ??= blankToNull(elementOf(segment, 9));
      // 2330D/2330E name the other payer's rendering provider and facility: not this claim's.
      if (draft.otherPayerLoop && !draft.line) return;
      // 2310B/2420A rendering (82), 2310A attending (71), 2310B operating (72), 2310C/2310E service facility (77).
      if (entity === '82') {
        const line = draft.line?.service;
        // 2420A follows its line's SV1: the line, already read, takes the NPI.
        if (line) line.renderingNpi = party.npi ?? line.renderingNpi;
        else if (draft.line) draft.line.rendering = party.npi;
        else draft.rendering = party;
      } else if (draft.line) {
        // 2420 names a line's own ordering, referring or service facility parties: the claim's stay as they are.
        return;
      } else if (entity === '71') draft.attendingNpi = party.npi;
      else if (entity === '72') draft.operatingNpi = party.npi;
      else if (entity === '77') draft.facilityNpi = party.npi;
      return;
    }
    case 'DTP': {
      const qualifier = elementOf(segment, 1);
      if (qualifier === '434') draft.statement = dateRangeOf(segment, 2);
      else if (qualifier === '435') draft.admissionDate = dateRangeOf(segment, 2).from;
      else if (qualifier === '472') {
        const range = dateRangeOf(segment, 2);
        const line = draft.line?.service;
        if (line) {
          line.serviceDate = range.from;
          if (draft.lastLineThrough === null || range.through > draft.lastLineThrough) {
            draft.lastLineThrough = range.through;
          }
        } else if (!draft.line) {
          // A 2300 DTP*472 (837P, a single date of service for the claim) stands for the claim's statement.
          draft.statement ??= range;
        }
      }
      return;
    }
    case 'HI':
      readDiagnoses(segment, draft);
      return;
    case 'LX':
      closeLine(draft);
      draft.line = { rendering: null, segment, service: null };
      return;
    case 'SV1':
    case 'SV2':
      if (!draft.line) {
        throw new X12Error('X12_SEGMENT_INVALID', `${segment.tag} outside a service line (LX)`, {
          segmentNumber: segment.number,
          elementPosition: 0,
        });
      }
      draft.line.service = segment.tag === 'SV1' ? professionalLine(segment, draft) : institutionalLine(segment, draft);
      draft.lines.push(draft.line.service);
      return;
    default:
      return;
  }
}

/**
 * 2430 SVD (both guides): what an earlier payer paid for the line, SVD01
 * naming that payer by its 2330B NM109 and SVD02 the amount. Only the
 * primary's (a 2320 with SBR01 P) is the line's primary payer paid amount; a
 * secondary's, on a claim sent to the tertiary, is not. A payer that
 * unbundled the line answers it with one SVD per procedure paid: they add up.
 * An SVD01 that names no 2330B of the claim cannot be told apart from a
 * typing slip: it is said and not counted.
 */
function readLineAdjudication(segment: X12Segment, draft: ClaimDraft): void {
  const line = draft.line?.service;
  // An SVD of an LX without SV1/SV2 has no line to belong to (closeLine says so).
  if (!line) return;
  const payerId = elementOf(segment, 1);
  const paidCents = amountCentsOf(segment, 2);
  const payer = payerId === '' ? undefined : draft.otherPayers.find((other) => other.payerId === payerId);
  if (!payer) {
    draft.findings.push({
      code: 'OTHER_PAYER_UNKNOWN',
      field: 'SVD01',
      message:
        `line ${line.lineNumber} (SVD at segment ${segment.number}) names an other payer that no 2330B ` +
        "NM109 of the claim identifies: what it paid is not counted as the primary payer's",
    });
    return;
  }
  if (payer.responsibility === 'P') line.primaryPayerPaidAmountCents += paidCents;
}

/**
 * Both guides require SV1 (837P) or SV2 (837I) in every 2400 loop. An LX
 * without one bills nothing: its DTP, 2420 and 2430 segments have no line to
 * belong to, and are not given to the line before it.
 */
function closeLine(draft: ClaimDraft): void {
  if (!draft.line || draft.line.service) return;
  draft.findings.push({
    code: 'LINE_SERVICE_MISSING',
    field: 'LX',
    message: `the service line at segment ${draft.line.segment.number} (LX) has no SV1 or SV2: nothing of it is read`,
  });
}

/**
 * The principal diagnosis (ABK/BK) and principal procedure (BBR/BR) qualifiers.
 * 005010X223A2 2300 gives each its own HI, told apart by HI01-1 and not by
 * where it stands among the other HIs (other diagnoses ABF/BF, admitting ABJ,
 * ...): the canonical claim lists the principal first wherever it came.
 */
const PRINCIPAL_QUALIFIERS = new Set(['ABK', 'BK', 'BBR', 'BR']);

function readDiagnoses(segment: X12Segment, draft: ClaimDraft): void {
  for (let position = 1; position < segment.elements.length; position += 1) {
    const [qualifier = '', code = ''] = componentsOf(segment, position);
    if (code === '') continue;
    const diagnosisSystem = DIAGNOSIS_QUALIFIERS.get(qualifier);
    const procedureSystem = PROCEDURE_QUALIFIERS.get(qualifier);
    const principal = PRINCIPAL_QUALIFIERS.has(qualifier);
    if (diagnosisSystem) {
      if (principal) draft.principalDiagnosisAt ??= draft.diagnoses.length;
      draft.diagnoses.push({ code, system: diagnosisSystem });
    } else if (procedureSystem) {
      if (principal) draft.principalProcedureAt ??= draft.procedures.length;
      draft.procedures.push({ code, system: procedureSystem });
    } else if (qualifier === 'DR') draft.drgCode = code;
  }
}

/** SV101: qualifier (HC HCPCS/CPT, ER, WK, ...), code, then up to four modifiers. */
function procedureOf(segment: X12Segment, position: number): { code: string | null; modifiers: string[] } {
  const [, code = '', ...modifiers] = componentsOf(segment, position);
  return { code: blankToNull(code), modifiers: modifiers.slice(0, 4).filter((modifier) => modifier !== '') };
}

function baseLine(draft: ClaimDraft): Omit<ClaimLine, 'hcpcsCode' | 'diagnosisCode'> {
  return {
    lineNumber: draft.lines.length + 1,
    renderingNpi: draft.line?.rendering ?? draft.rendering?.npi ?? null,
    taxId: draft.hierarchy.billingTaxId,
    // A claim as submitted: nothing is paid or allowed until an 835 says so.
    paymentAmountCents: 0,
    allowedAmountCents: 0,
    deductibleAmountCents: 0,
    coinsuranceAmountCents: 0,
    primaryPayerPaidAmountCents: 0,
    processingIndicatorCode: null,
    processingCategory: 'unknown',
  };
}

/** SV1 (2400): procedure, charge (SV102), unit basis and count (SV103/04), place of service (SV105), pointers (SV107). */
function professionalLine(segment: X12Segment, draft: ClaimDraft): ClaimLine {
  const procedure = procedureOf(segment, 1);
  // SV107-1..4 point at the HI codes by position (1 = HI01): one that points past them names no diagnosis.
  const pointed = componentsOf(segment, 7)
    .filter((pointer) => pointer !== '')
    .map((pointer) => {
      const position = Number(pointer);
      return Number.isInteger(position) && position > 0 ? draft.diagnoses[position - 1] : undefined;
    });
  const line = baseLine(draft);
  if (pointed.includes(undefined)) {
    draft.findings.push({
      code: 'DIAGNOSIS_POINTER_INVALID',
      field: 'SV107',
      message:
        `line ${line.lineNumber} (SV1 at segment ${segment.number}) points at a diagnosis the claim's ` +
        `${draft.diagnoses.length} HI codes do not hold`,
    });
  }
  const diagnosis = pointed[0];
  const claimPlace = componentsOf(draft.clm, 5);
  return {
    ...line,
    hcpcsCode: procedure.code,
    diagnosisCode: diagnosis?.code ?? null,
    chargeAmountCents: amountCentsOf(segment, 2),
    serviceUnitCount: quantityOf(segment, 4),
    placeOfServiceCode: blankToNull(elementOf(segment, 5)) ?? blankToNull(claimPlace[0] ?? ''),
    serviceDate: null,
    procedureModifiers: procedure.modifiers,
  };
}

/** SV2 (2400): revenue code (SV201), procedure (SV202), charge (SV203), unit basis and count (SV204/05). */
function institutionalLine(segment: X12Segment, draft: ClaimDraft): ClaimLine {
  const procedure = procedureOf(segment, 2);
  return {
    ...baseLine(draft),
    hcpcsCode: procedure.code,
    diagnosisCode: null,
    revenueCode: blankToNull(elementOf(segment, 1)),
    chargeAmountCents: amountCentsOf(segment, 3),
    serviceUnitCount: quantityOf(segment, 5),
    serviceDate: null,
    procedureModifiers: procedure.modifiers,
  };
}

function finishClaim(draft: ClaimDraft, options: Claims837Options, createdDate: string | null): Claim837 {
  closeLine(draft);
  const clm = draft.clm;
  const claimId = elementOf(clm, 1);
  const location = { segmentNumber: clm.number, elementPosition: 1 };
  if (claimId === '') throw new X12Error('X12_SEGMENT_INVALID', 'CLM01 (patient control number) is blank', location);
  const hierarchy = draft.hierarchy;
  // CLM05: facility code, its qualifier (A type of bill, B place of service), frequency code.
  const [facilityCode = '', , frequency = ''] = componentsOf(clm, 5);
  const billType = options.kind === 'institutional' && facilityCode !== '' ? `${facilityCode}${frequency}` : null;
  const lineDates = draft.lines.map((line) => line.serviceDate).filter((date): date is string => Boolean(date));
  const sorted = [...lineDates].sort();
  const from = draft.statement?.from ?? sorted[0] ?? createdDate;
  const through = draft.statement?.through ?? draft.lastLineThrough ?? createdDate;
  if (from === null || through === null) {
    throw new X12Error('X12_SEGMENT_INVALID', 'the claim has no service date and the transaction no BHT date', {
      segmentNumber: clm.number,
      elementPosition: 0,
    });
  }
  const findings = [...draft.findings, ...balanceFindings(clm, draft.lines)];
  if (draft.statement === null && sorted.length === 0) {
    // BHT04 keeps the claim (its 835 and 277CA can still join it), but it is when the set was written, not served.
    const field = options.kind === 'professional' ? 'DTP*472' : 'DTP*434';
    findings.push({
      code: 'SERVICE_DATE_MISSING',
      field,
      message: `the claim (CLM at segment ${clm.number}) has no ${field} service date: it is dated by BHT04, the day the transaction set was created`,
    });
  }
  if (hierarchy.subscriberId === null) {
    findings.push({
      code: 'SUBSCRIBER_ID_MISSING',
      field: 'NM1*IL',
      message:
        `the claim (CLM at segment ${clm.number}) has no subscriber member id (2010BA NM1*IL NM109): ` +
        'its patient token stands for this claim alone',
    });
  }
  if (hierarchy.dependent && hierarchy.patientIdentity === null) {
    findings.push({
      code: 'PATIENT_NAME_MISSING',
      field: 'NM1*QC',
      message:
        `the claim (CLM at segment ${clm.number}) is for a dependent (2000C) whom no 2010CA NM1*QC names: ` +
        'its patient token stands for this claim alone',
    });
  }
  const subscriberId = hierarchy.subscriberId ?? `missing:${claimId}`;
  // The patient is the subscriber unless a 2000C patient loop puts a dependent under them.
  const patientIdentity = hierarchy.dependent ? (hierarchy.patientIdentity ?? `missing-patient:${claimId}`) : null;
  const patientKey = patientIdentity === null ? subscriberId : `${subscriberId}|${patientIdentity}`;
  return {
    claimId,
    claimType: options.kind === 'professional' ? 'professional' : institutionalClaimType(billType),
    patientToken: tokenizePatientId(patientKey, options.patientTokenKey),
    payer: hierarchy.payer ?? 'UNKNOWN',
    billingNpi: hierarchy.billing?.npi ?? null,
    billingTaxId: hierarchy.billingTaxId,
    renderingProvider: draft.rendering,
    attendingNpi: draft.attendingNpi,
    operatingNpi: draft.operatingNpi,
    facilityNpi: draft.facilityNpi,
    billedAmountCents: amountCentsOf(clm, 2),
    billType,
    ...(frequency === '' ? {} : { frequencyCode: frequency }),
    placeOfServiceCode: options.kind === 'professional' ? blankToNull(facilityCode) : null,
    serviceFromDate: from,
    serviceThroughDate: through,
    admissionDate: draft.admissionDate,
    diagnoses: principalFirst(draft.diagnoses, draft.principalDiagnosisAt),
    procedures: principalFirst(draft.procedures, draft.principalProcedureAt),
    drgCode: draft.drgCode,
    lines: draft.lines,
    createdDate,
    segmentNumber: clm.number,
    dataQuality: findings,
  };
}

/** The codes with the principal one (at `principalAt`) first and the others in the order sent. */
function principalFirst<T>(codes: readonly T[], principalAt: number | null): T[] {
  const principal = principalAt === null ? undefined : codes[principalAt];
  if (principal === undefined || principalAt === 0) return [...codes];
  return [principal, ...codes.filter((_, index) => index !== principalAt)];
}

const dollarsOf = (cents: number): string =>
  `${cents < 0 ? '-' : ''}${Math.floor(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}`;

/**
 * CLM02, the total claim charge, must be the sum of the service lines'
 * charges (005010X222A1 2300 CLM02: Σ SV102; 005010X223A2 2300 CLM02: Σ SV203).
 * A claim that does not balance is still the provider's claim: a finding, not a refusal.
 */
function balanceFindings(clm: X12Segment, lines: readonly ClaimLine[]): DataQualityFinding[] {
  const total = amountCentsOf(clm, 2);
  if (lines.length === 0) {
    // Both guides require a 2400 service line: a claim without one bills what nothing itemises.
    return [
      {
        code: 'CLAIM_LINES_MISSING',
        field: 'LX',
        message: `CLM02 (segment ${clm.number}) is ${dollarsOf(total)}, but the claim has no service line (2400 LX)`,
      },
    ];
  }
  // Revenue code 0001 is the UB-04's total charges line, not a service: it is not added to itself.
  const services = lines.filter((line) => line.revenueCode !== '0001');
  const linesTotal = services.reduce((sum, line) => sum + (line.chargeAmountCents ?? 0), 0);
  if (total === linesTotal) return [];
  return [
    {
      code: 'CLAIM_UNBALANCED',
      field: 'CLM02',
      message:
        `CLM02 (segment ${clm.number}) is ${dollarsOf(total)}, but the ${services.length} service lines' ` +
        `charges come to ${dollarsOf(linesTotal)}`,
    },
  ];
}
