import { Module } from '@nestjs/common';
import { ClaimLifecycleController } from './claim-lifecycle.controller';
import { ClaimLifecycleRepository } from './claim-lifecycle.repository';
import { ClaimLifecycleService } from './claim-lifecycle.service';
import { DenialCostRepository } from './denial-cost.repository';
import { DenialCostService } from './denial-cost.service';
import { KpiQueryService } from './kpi-query.service';
import { KpiRepository } from './kpi.repository';
import { KpisController } from './kpis.controller';
import { OverdueSubmissionsController } from './overdue-submissions.controller';
import { OverdueSubmissionsRepository } from './overdue-submissions.repository';
import { OverdueSubmissionsService } from './overdue-submissions.service';
import { PendedQueueRepository } from './pended-queue.repository';
import { PendedQueueService } from './pended-queue.service';
import { ProviderAdjustmentsController } from './provider-adjustments.controller';
import { ProviderAdjustmentsRepository } from './provider-adjustments.repository';
import { ProviderAdjustmentsService } from './provider-adjustments.service';
import { VolumeCostController } from './volume-cost.controller';
import { VolumeCostRepository } from './volume-cost.repository';
import { VolumeCostService } from './volume-cost.service';

@Module({
  controllers: [
    KpisController,
    ClaimLifecycleController,
    ProviderAdjustmentsController,
    VolumeCostController,
    OverdueSubmissionsController,
  ],
  providers: [
    KpiRepository,
    KpiQueryService,
    PendedQueueRepository,
    PendedQueueService,
    DenialCostRepository,
    DenialCostService,
    ClaimLifecycleRepository,
    ClaimLifecycleService,
    ProviderAdjustmentsRepository,
    ProviderAdjustmentsService,
    VolumeCostRepository,
    VolumeCostService,
    OverdueSubmissionsRepository,
    OverdueSubmissionsService,
  ],
  // The reports render the same figures the routes serve, through the same services.
  exports: [PendedQueueService, DenialCostService],
})
export class KpisModule {}
