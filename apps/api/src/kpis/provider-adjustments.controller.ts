import { CsvTable } from '../exports/csv-table.interceptor';
import { PROVIDER_ADJUSTMENT_GROUPINGS } from '@claims/kpi';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { RequireRole } from '../auth/bearer-token.guard';
import { NoSmallCells } from '../privacy/small-cells.decorator';
import { dateQuery } from './kpi-query-parameters.schemas';
import { parseProviderAdjustmentsQuery } from './provider-adjustments.query';
import { ProviderAdjustmentsService, type ProviderAdjustmentsResponse } from './provider-adjustments.service';

@Controller('v1/kpis')
@RequireRole('analyst')
export class ProviderAdjustmentsController {
  constructor(private readonly providerAdjustments: ProviderAdjustmentsService) {}

  /**
   * 835 provider-level adjustments (PLB): counts and cents in total and by
   * reason (each with a label), payer, payee or month; positive amounts
   * reduced the payment, as the guide signs them. `from` and `to` bound the
   * payment date (else the remittance's production date, else PLB02).
   */
  @Get('provider-adjustments')
  @CsvTable('rows', 'provider-adjustments')
  @NoSmallCells(
    'provider-level adjustments (835 PLB) name a provider and a payer, never a claim or a member: no member is counted',
  )
  @ApiQuery(dateQuery('from', 'Payment date, inclusive'))
  @ApiQuery(dateQuery('to', 'Payment date, inclusive'))
  @ApiQuery({ name: 'groupBy', required: false, enum: [...PROVIDER_ADJUSTMENT_GROUPINGS] })
  summary(@Query() query: Record<string, unknown>): Promise<ProviderAdjustmentsResponse> {
    return this.providerAdjustments.summary(parseProviderAdjustmentsQuery(query));
  }
}
