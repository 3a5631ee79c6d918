/**
 * `response.locals` key under which a handler names what a request acted on
 * when the route's path does not (an upload names the job it started).
 */
export const AUDIT_TARGET_LOCAL = 'auditTargetId';
