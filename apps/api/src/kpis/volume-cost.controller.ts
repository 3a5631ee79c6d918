import { CsvTable } from '../exports/csv-table.interceptor';
import { CLAIM_FIELD_FILTER_FIELDS, OUTLIER_MEASURES, PMPM_GROUPINGS } from '@claims/kpi';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { RequireRole } from '../auth/bearer-token.guard';
import { SmallCells } from '../privacy/small-cells.decorator';
import { ApiClaimFilterQueries } from './kpi-query-parameters.schemas';
import { CHRONIC_CONDITIONS_CELLS, OUTLIER_PROVIDERS_CELLS, PMPM_CELLS } from './small-cells';
import {
  OUTLIER_DEFAULTS,
  parseChronicConditionsQuery,
  parseOutlierProvidersQuery,
  parsePmpmQuery,
} from './volume-cost.query';
import {
  VolumeCostService,
  type ChronicConditionsResponse,
  type OutlierProvidersResponse,
  type PmpmResponse,
} from './volume-cost.service';

const YEAR_QUERY = {
  name: 'year',
  required: false,
  description: 'Coverage year, YYYY (default: the latest year a beneficiary summary states)',
  schema: { type: 'integer', minimum: 1900, maximum: 2999 },
} as const;

@Controller('v1/kpis')
@RequireRole('analyst')
export class VolumeCostController {
  constructor(private readonly volumeCost: VolumeCostService) {}

  /**
   * Paid cents per member per month for the year's claims of members with a
   * beneficiary summary that year: medical claims over the months with Part A
   * or B, Part D events over the Part D months; by claim type (each over its
   * benefit's months) or by month (over a twelfth of them). `unmatched` counts
   * the year's claims of members without a summary, left out. The claim
   * fields narrow the claims counted; the member months stay the year's, so a
   * filtered figure is that slice's share of the PMPM (the year is the date range).
   */
  @Get('pmpm')
  @CsvTable('rows', 'pmpm')
  @SmallCells(PMPM_CELLS)
  @ApiQuery(YEAR_QUERY)
  @ApiQuery({ name: 'groupBy', required: false, enum: [...PMPM_GROUPINGS] })
  @ApiClaimFilterQueries(CLAIM_FIELD_FILTER_FIELDS)
  pmpm(@Query() query: Record<string, unknown>): Promise<PmpmResponse> {
    return this.volumeCost.pmpm(parsePmpmQuery(query));
  }

  /**
   * Per chronic condition of the beneficiary summaries (CMS CCW flags): the
   * members with a stated flag, those with the condition and the prevalence,
   * and the year's paid cents per member with and without it. The claim
   * fields narrow the claims whose paid cents count; members and prevalence
   * stay the year's.
   */
  @Get('chronic-conditions')
  @CsvTable('conditions', 'chronic-conditions')
  @SmallCells(CHRONIC_CONDITIONS_CELLS)
  @ApiQuery(YEAR_QUERY)
  @ApiClaimFilterQueries(CLAIM_FIELD_FILTER_FIELDS)
  chronicConditions(@Query() query: Record<string, unknown>): Promise<ChronicConditionsResponse> {
    return this.volumeCost.chronicConditions(parseChronicConditionsQuery(query));
  }

  /**
   * Rendering providers whose paid cents per claim (`by=cost`) or claims
   * (`by=volume`) lie `threshold` or more standard deviations from the mean
   * of their specialty, among providers with at least `minClaims` claims;
   * largest |z| first. The claim filters keep the claims whose lines are
   * counted, for the provider and its peers alike.
   */
  @Get('outlier-providers')
  @CsvTable('rows', 'outlier-providers')
  @SmallCells(OUTLIER_PROVIDERS_CELLS)
  @ApiQuery({ name: 'by', required: false, enum: [...OUTLIER_MEASURES], description: 'default cost' })
  @ApiQuery({
    name: 'minClaims',
    required: false,
    description: `default ${OUTLIER_DEFAULTS.minClaims}`,
    schema: { type: 'integer', minimum: 1, maximum: 1_000_000 },
  })
  @ApiQuery({
    name: 'threshold',
    required: false,
    description: `|z| at least; default ${OUTLIER_DEFAULTS.threshold}`,
    schema: { type: 'number', minimum: 0, maximum: 10 },
  })
  @ApiQuery({
    name: 'limit',
    required: false,
    description: `default ${OUTLIER_DEFAULTS.limit}`,
    schema: { type: 'integer', minimum: 1, maximum: 500 },
  })
  @ApiClaimFilterQueries()
  outlierProviders(@Query() query: Record<string, unknown>): Promise<OutlierProvidersResponse> {
    return this.volumeCost.outlierProviders(parseOutlierProvidersQuery(query));
  }
}
