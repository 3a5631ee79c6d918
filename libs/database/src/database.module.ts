import { Module, type DynamicModule, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { migrateDatabase } from './data-source';

class DatabaseLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly dataSource: DataSource,
    private readonly migrate: boolean,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.dataSource.isInitialized) await this.dataSource.initialize();
    if (this.migrate) await migrateDatabase(this.dataSource);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/** Provides the TypeORM `DataSource`, connected (and migrated, for schema owners) before any consumer starts. */
@Module({})
export class DatabaseModule {
  static forRoot(options: { dataSource: DataSource; migrate: boolean }): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      providers: [
        { provide: DataSource, useValue: options.dataSource },
        { provide: DatabaseLifecycle, useValue: new DatabaseLifecycle(options.dataSource, options.migrate) },
      ],
      exports: [DataSource],
    };
  }
}

/** Readiness check for `/health`. */
export function databaseHealthCheck(dataSource: DataSource): { name: string; check: () => Promise<void> } {
  return {
    name: 'postgres',
    check: async () => {
      await dataSource.query('SELECT 1');
    },
  };
}
