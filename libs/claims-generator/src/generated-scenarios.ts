import {
  EDI_SCENARIO_FILES,
  EdiScenarioRequestError,
  generateEdiScenario,
  type EdiScenarioManifest,
  type EdiScenarioRequest,
} from './edi-scenario-generator';

/**
 * Scenarios: several files written together, which only make sense as a set
 * (an 837 and its answers). They sit beside the single-file layouts of
 * generated-layouts.ts rather than among them, so those layouts' bytes and
 * pinned hashes stay as they are.
 */
export interface ScenarioDefinition<Request, Manifest> {
  scenario: string;
  description: string;
  /** The files written into the request's directory. */
  files: readonly string[];
  generate(request: Request): Promise<Manifest>;
}

export const GENERATED_SCENARIOS = {
  'x12.edi-scenario': {
    scenario: 'x12.edi-scenario',
    description:
      'An 837P of N claims (005010X222A1) with its 999, 277CA and 835 answers: rejections, denials by CARC, slow payers',
    files: Object.values(EDI_SCENARIO_FILES),
    generate: generateEdiScenario,
  },
} as const satisfies Record<string, ScenarioDefinition<EdiScenarioRequest, EdiScenarioManifest>>;

export type GeneratedScenario = keyof typeof GENERATED_SCENARIOS;

export function isGeneratedScenario(value: unknown): value is GeneratedScenario {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(GENERATED_SCENARIOS, value);
}

/**
 * Writes the files of a scenario named on a command line (or anywhere a
 * name arrives untyped).
 * @throws EdiScenarioRequestError for an unknown scenario or a wrong field
 */
export function generateScenario(request: EdiScenarioRequest & { scenario: string }): Promise<EdiScenarioManifest> {
  if (!isGeneratedScenario(request.scenario)) {
    const known = Object.keys(GENERATED_SCENARIOS).join(', ');
    return Promise.reject(
      new EdiScenarioRequestError(`unknown scenario ${JSON.stringify(request.scenario)}: one of ${known}`),
    );
  }
  const { scenario, ...rest } = request;
  return GENERATED_SCENARIOS[scenario].generate(rest);
}
