import { createIsolatedDatabase, testInfrastructure, type IsolatedDatabase } from '@claims/harness';
import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { startApiUnderTest } from '../__tests__/api-under-test';
import type { DenialClaimsResponse } from './claims.service';
import type { PaymentClaimsResponse } from './payment-claims.service';

const managerToken = randomBytes(24).toString('base64url');
const PAYER = 'Claim-Id Payer';

/**
 * Claim ids as a billing export may write them and the pipeline stores them:
 * a mapped layout keeps the text of its claim-id column up to its
 * maxFieldLength (1,024 characters by default), whatever the script. Each is
 * a denied billing-export claim of one payer, so both drill-downs list them.
 */
const CLAIM_IDS = ['Réf-2024-0001', '請求-42', `CLM-${'7'.repeat(996)}`, 'ZZ-4'];

describe('claim ids the pipeline stores, however long and in whatever script', () => {
  let database: IsolatedDatabase;
  let app: INestApplication;
  let baseUrl: string;

  const get = async <Body>(path: string) => {
    const response = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${managerToken}` } });
    return { status: response.status, body: (await response.json()) as Body };
  };

  /** Every claim id a drill-down lists one claim a page, following the cursor each page hands out. */
  const pagedClaimIds = async (route: string): Promise<string[]> => {
    const claimIds: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page <= CLAIM_IDS.length; page += 1) {
      const answer: { status: number; body: PaymentClaimsResponse | DenialClaimsResponse } = await get(
        `${route}&limit=1${cursor === null ? '' : `&cursor=${cursor}`}`,
      );
      expect({ page, status: answer.status }).toEqual({ page, status: 200 });
      claimIds.push(...answer.body.items.map((item) => item.claimId));
      cursor = answer.body.nextCursor;
      if (cursor === null) break;
    }
    return claimIds;
  };

  beforeAll(async () => {
    database = await createIsolatedDatabase('api_claim_ids');
    ({ app, baseUrl } = await startApiUnderTest({
      databaseUrl: database.url,
      brokers: testInfrastructure().brokers,
      apiTokens: `manager=${managerToken}`,
      env: { API_RATE_LIMIT_PER_MINUTE: '0' },
    }));
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      for (const [index, claimId] of CLAIM_IDS.entries()) {
        await client.query(
          `INSERT INTO claim_state (claim_id, event_id, event_type, claim_type, payer, occurred_at, service_from_date,
             service_through_date, line_count, payment_amount_cents, allowed_amount_cents, lineage_source,
             lineage_file_id, lineage_record_number, kafka_partition, layout, provider_group, state,
             billed_amount_cents, adjudication_status)
           VALUES ($1, gen_random_uuid(), 'adjudicated', 'professional', $2, '2024-03-04', '2024-03-04', '2024-03-04',
                   0, 0, 0, 'billing.csv', repeat('b', 64), $3, 0, 'billing.claim-export', 'GRP-1', 'MD', 1000,
                   'denied')`,
          [claimId, PAYER, index + 1],
        );
      }
    } finally {
      await client.end();
    }
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('pages through the payment drill-down one claim a page past every id, each claim once', async () => {
    const payer = encodeURIComponent(PAYER);
    const all = await get<PaymentClaimsResponse>(`/v1/kpis/payments/claims?payer=${payer}&limit=500`);
    expect([...all.body.items.map((item) => item.claimId)].sort()).toEqual([...CLAIM_IDS].sort());
    expect(await pagedClaimIds(`/v1/kpis/payments/claims?payer=${payer}`)).toEqual(
      all.body.items.map((item) => item.claimId),
    );
  });

  it('pages through the denial drill-down one claim a page past every id, each claim once', async () => {
    const route = `/v1/kpis/denials/claims?source=billing_export&payer=${encodeURIComponent(PAYER)}`;
    const all = await get<DenialClaimsResponse>(`${route}&limit=500`);
    expect([...all.body.items.map((item) => item.claimId)].sort()).toEqual([...CLAIM_IDS].sort());
    expect(await pagedClaimIds(route)).toEqual(all.body.items.map((item) => item.claimId));
  });

  it.each(CLAIM_IDS.map((claimId) => [claimId.length > 40 ? `${claimId.slice(0, 12)}…` : claimId, claimId]))(
    'opens the detail and lineage of claim %s',
    async (_, claimId) => {
      const detail = await get<{ claimId: string }>(`/v1/claims/${encodeURIComponent(claimId)}`);
      expect({ status: detail.status, claimId: detail.body.claimId }).toEqual({ status: 200, claimId });
      const lineage = await get<{ claimId: string }>(`/v1/claims/${encodeURIComponent(claimId)}/lineage`);
      expect({ status: lineage.status, claimId: lineage.body.claimId }).toEqual({ status: 200, claimId });
    },
  );
});
