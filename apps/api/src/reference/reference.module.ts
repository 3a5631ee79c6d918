import { Module } from '@nestjs/common';
import { ReferenceController } from './reference.controller';
import { ReferencePublisher } from './reference.publisher';

@Module({
  controllers: [ReferenceController],
  providers: [ReferencePublisher],
})
export class ReferenceModule {}
