/**
 * Imported first by main.ts: the http and pg instrumentations patch those
 * modules only when they are registered before anything requires them.
 */
import { startTracing } from '@claims/observability';

export const tracing = startTracing({ service: 'api' });
