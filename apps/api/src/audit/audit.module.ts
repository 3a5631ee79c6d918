import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditMiddleware } from './audit.middleware';
import { AuditRepository } from './audit.repository';

/** The audit log: a middleware that records audited requests, and GET /v1/audit to read it (admin). */
@Module({
  controllers: [AuditController],
  providers: [AuditRepository, AuditMiddleware],
})
export class AuditModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(AuditMiddleware).forRoutes({ path: '{*splat}', method: RequestMethod.ALL });
  }
}
