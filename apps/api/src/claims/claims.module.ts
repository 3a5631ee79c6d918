import { Module } from '@nestjs/common';
import { ClaimsController } from './claims.controller';
import { ClaimsRepository } from './claims.repository';
import { ClaimsService } from './claims.service';
import { DenialClaimsController } from './denial-claims.controller';

@Module({
  controllers: [ClaimsController, DenialClaimsController],
  providers: [ClaimsRepository, ClaimsService],
})
export class ClaimsModule {}
