import type { X12Layout } from './x12-layouts';
import type { X12Segment } from './x12-segments';
import { X12Error, tagForReason } from './x12.errors';

/**
 * The segments each 005010 implementation guide the pipeline reads may hold
 * between ST and SE (the TR3s' segment tables: 837P 005010X222A1, 837I
 * 005010X223A2, 835 005010X221A1, 999 005010X231A1, 277CA 005010X214, 277
 * 005010X212). A segment outside its guide is a damaged or foreign
 * transaction set: read on, its loops could take the wrong meaning, so it
 * fails with its position instead.
 */
const CLAIM_837_COMMON = [
  'ST',
  'BHT',
  'NM1',
  'N3',
  'N4',
  'REF',
  'PER',
  'HL',
  'PRV',
  'CUR',
  'SBR',
  'PAT',
  'DMG',
  'CLM',
  'DTP',
  'PWK',
  'CN1',
  'AMT',
  'K3',
  'NTE',
  'CRC',
  'HI',
  'HCP',
  'LX',
  'QTY',
  'MEA',
  'LIN',
  'CTP',
  'SVD',
  'CAS',
  'LQ',
  'FRM',
  'OI',
  'MOA',
  'SE',
];

// Keyed by the layout names themselves: x12-layouts calls in here, so this module takes only its type.
const SEGMENTS_BY_LAYOUT: Readonly<Record<X12Layout, ReadonlySet<string>>> = {
  'x12.837p': new Set([...CLAIM_837_COMMON, 'CR1', 'CR2', 'CR3', 'SV1', 'SV5', 'PS1']),
  'x12.837i': new Set([...CLAIM_837_COMMON, 'CL1', 'MIA', 'SV2']),
  'x12.835': new Set([
    'ST',
    'BPR',
    'TRN',
    'CUR',
    'REF',
    'DTM',
    'N1',
    'N3',
    'N4',
    'PER',
    'RDM',
    'LX',
    'TS3',
    'TS2',
    'CLP',
    'CAS',
    'NM1',
    'MIA',
    'MOA',
    'AMT',
    'QTY',
    'SVC',
    'LQ',
    'PLB',
    'SE',
  ]),
  'x12.999': new Set(['ST', 'AK1', 'AK2', 'IK3', 'CTX', 'IK4', 'IK5', 'AK9', 'SE']),
  'x12.277ca': new Set(['ST', 'BHT', 'HL', 'NM1', 'TRN', 'STC', 'QTY', 'AMT', 'DTP', 'REF', 'SVC', 'SE']),
  'x12.277': new Set(['ST', 'BHT', 'HL', 'NM1', 'PER', 'TRN', 'STC', 'REF', 'DTP', 'SVC', 'SE']),
};

/**
 * @throws X12Error X12_SEGMENT_UNKNOWN at the first segment its guide does
 *   not define, located by its segment number (element 0: the tag itself)
 */
export function assertSegmentsOfGuide(layout: X12Layout, segments: readonly X12Segment[]): void {
  const known = SEGMENTS_BY_LAYOUT[layout];
  for (const segment of segments) {
    if (!known.has(segment.tag)) {
      // A tag is 2 or 3 characters: a longer one ran into the segment's data (a lost separator), which a reason never shows.
      const tag = `${tagForReason(segment.tag.slice(0, 3))}${segment.tag.length > 3 ? '...' : ''}`;
      throw new X12Error('X12_SEGMENT_UNKNOWN', `segment ${tag} is not a segment of ${layout}`, {
        segmentNumber: segment.number,
        elementPosition: 0,
      });
    }
  }
}
