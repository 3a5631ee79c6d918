import { SetMetadata } from '@nestjs/common';
import type { AnySmallCellSpec, SmallCellSpec } from './small-cell';

export const SMALL_CELLS = 'claims:small-cells';

/**
 * What a route says about small cells; every route a role without
 * `kpis:small-cells` may call must say one of these (the API refuses to start
 * otherwise, naming the route):
 *
 * - `cells`: its JSON answer holds KPI cells, where `spec` says; the
 *   small-cell interceptor withholds them for such a caller.
 * - `handler`: the handler applies the policy itself before it renders (the
 *   PDF report, which writes its own response).
 * - `none`: it counts no members (record listings, pipeline accounting), `why` says.
 */
export type SmallCellDeclaration =
  | { kind: 'cells'; spec: AnySmallCellSpec }
  | { kind: 'handler'; how: string }
  | { kind: 'none'; why: string };

/**
 * The route's answer holds KPI cells where `spec` says. Typed against the
 * handler: the spec must describe the type the method answers.
 */
export function SmallCells<T>(
  spec: SmallCellSpec<T>,
): (
  target: object,
  key: string | symbol,
  descriptor: TypedPropertyDescriptor<(...args: never[]) => Promise<T>>,
) => void {
  const declaration: SmallCellDeclaration = { kind: 'cells', spec: spec as AnySmallCellSpec };
  return (target, key, descriptor) => {
    SetMetadata(SMALL_CELLS, declaration)(target, key, descriptor);
  };
}

/** The handler withholds small cells itself, as `how` says (it writes its own response). */
export const SmallCellsAppliedByHandler = (how: string): MethodDecorator =>
  SetMetadata(SMALL_CELLS, { kind: 'handler', how } satisfies SmallCellDeclaration);

/** The route (or every route of the controller) counts no members, because `why`. */
export const NoSmallCells = (why: string): MethodDecorator & ClassDecorator =>
  SetMetadata(SMALL_CELLS, { kind: 'none', why } satisfies SmallCellDeclaration);
