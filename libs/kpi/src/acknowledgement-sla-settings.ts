import { z } from 'zod';
import {
  AcknowledgementSlaConfigError,
  MAX_ACKNOWLEDGEMENT_SLA_HOURS,
  parseAcknowledgementSlaHoursByPayer,
  type AcknowledgementSlaPolicy,
} from './acknowledgement-sla';

/**
 * The acknowledgement-SLA settings, read alike by the metrics service (its
 * overdue gauges, which the alerts read) and the API (its overdue list), so
 * the two cannot disagree on what a setting means.
 */
export const acknowledgementSlaEnvShape = {
  /**
   * Hours within which a submitted 837 claim should be answered by its 999
   * and its 277CA, in event time (docs/kpis/acknowledgement-slas.md).
   */
  ACK_SLA_HOURS: z.coerce.number().int().min(1).max(MAX_ACKNOWLEDGEMENT_SLA_HOURS).default(24),
  /** Per-payer overrides, `payer=hours,...`, the payer as the 837 names it (trimmed, case-blind). */
  ACK_SLA_HOURS_BY_PAYER: z
    .string()
    .default('')
    .transform((value, context) => {
      try {
        return parseAcknowledgementSlaHoursByPayer(value);
      } catch (error) {
        if (!(error instanceof AcknowledgementSlaConfigError)) throw error;
        context.addIssue({ code: 'custom', message: error.message });
        return z.NEVER;
      }
    }),
};

export function acknowledgementSlaPolicyOf(env: {
  ACK_SLA_HOURS: number;
  ACK_SLA_HOURS_BY_PAYER: ReadonlyMap<string, number>;
}): AcknowledgementSlaPolicy {
  return { defaultHours: env.ACK_SLA_HOURS, hoursByPayer: env.ACK_SLA_HOURS_BY_PAYER };
}
