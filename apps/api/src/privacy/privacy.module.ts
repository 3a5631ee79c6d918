import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { SmallCellRouteCheck } from './small-cell-routes';
import { SmallCellPolicy } from './small-cell.policy';

/** Small-cell suppression: the policy (for the interceptor and the PDF report) and the start-up check of the routes. */
@Module({
  imports: [DiscoveryModule],
  providers: [SmallCellPolicy, SmallCellRouteCheck],
  exports: [SmallCellPolicy],
})
export class PrivacyModule {}
