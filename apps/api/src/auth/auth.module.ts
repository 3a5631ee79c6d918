import { Module } from '@nestjs/common';
import { API_KEY_AUTHENTICATOR } from './api-key-authenticator';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysService } from './api-keys.service';

/** API keys and what the global guard asks of them; the guard itself is bound in ApiModule. */
@Module({
  controllers: [ApiKeysController],
  providers: [ApiKeysRepository, ApiKeysService, { provide: API_KEY_AUTHENTICATOR, useExisting: ApiKeysService }],
  exports: [API_KEY_AUTHENTICATOR],
})
export class AuthModule {}
