import { Module } from '@nestjs/common';
import { ClaimsController } from './claims.controller';
import { ClaimsRepository } from './claims.repository';
import { ClaimsService } from './claims.service';
import { DenialClaimsController } from './denial-claims.controller';
import { PaymentClaimsController } from './payment-claims.controller';
import { PaymentClaimsService } from './payment-claims.service';

@Module({
  controllers: [ClaimsController, DenialClaimsController, PaymentClaimsController],
  providers: [ClaimsRepository, ClaimsService, PaymentClaimsService],
})
export class ClaimsModule {}
