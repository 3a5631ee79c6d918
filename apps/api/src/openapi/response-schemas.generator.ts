import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as ts from 'typescript';

/** A JSON Schema in the OpenAPI 3.0 dialect the document is written in (`nullable`, no `type: 'null'`). */
export type JsonSchema = { [keyword: string]: unknown };

/** One route's success answer: its status, media type and body schema. */
export interface GeneratedResponse {
  status: number;
  mediaType: string;
  /** The response type's name (`PendedQueueResponse`), under which the document lists the schema; absent if anonymous. */
  schemaName?: string;
  schema: JsonSchema;
}

const HTTP_METHOD_DECORATORS = new Set(['Get', 'Post', 'Put', 'Patch', 'Delete']);
const REPO_ROOT = resolve(__dirname, '../../../..');
const API_SOURCE = resolve(__dirname, '..');
/** The health and metrics routes every service mounts, the API's among them. */
const SERVICE_HTTP_CONTROLLER = join(REPO_ROOT, 'libs/observability/src/service-http.module.ts');

function controllerFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === '__tests__' ? [] : controllerFiles(path);
    return entry.name.endsWith('.controller.ts') ? [path] : [];
  });
}

function decoratorsOf(node: ts.Node): Array<{ name: string; args: readonly ts.Expression[] }> {
  if (!ts.canHaveDecorators(node)) return [];
  return (ts.getDecorators(node) ?? []).flatMap((decorator) => {
    const call = decorator.expression;
    if (!ts.isCallExpression(call) || !ts.isIdentifier(call.expression)) return [];
    return [{ name: call.expression.text, args: call.arguments }];
  });
}

/** The name of a named object type (an interface, a type alias), for the document's components. */
function nameOf(type: ts.Type): string | undefined {
  if (!(type.flags & ts.TypeFlags.Object) && !type.aliasSymbol) return undefined;
  const name = type.aliasSymbol?.getName() ?? type.getSymbol()?.getName();
  return name !== undefined && /^[A-Z][A-Za-z0-9]*$/.test(name) && !['Array', 'ReadonlyArray'].includes(name)
    ? name
    : undefined;
}

function stringLiteral(expression: ts.Expression | undefined): string | undefined {
  return expression !== undefined && ts.isStringLiteralLike(expression) ? expression.text : undefined;
}

/**
 * The JSON Schema of a TypeScript type as JSON.stringify writes a value of
 * it: interfaces and object types become closed objects (their JSDoc the
 * descriptions), `T | null` nullable, string-literal unions enums, a Date a
 * date-time string; `unknown` says nothing.
 */
class SchemaWriter {
  private readonly expanding = new Set<ts.Type>();

  constructor(private readonly checker: ts.TypeChecker) {}

  write(type: ts.Type): JsonSchema {
    const flags = type.flags;
    if (flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return {};
    if (flags & ts.TypeFlags.StringLiteral) return { type: 'string', enum: [(type as ts.StringLiteralType).value] };
    if (flags & ts.TypeFlags.NumberLiteral) return { type: 'number', enum: [(type as ts.NumberLiteralType).value] };
    if (flags & ts.TypeFlags.BooleanLiteral) return { type: 'boolean' };
    if (flags & ts.TypeFlags.String || flags & ts.TypeFlags.TemplateLiteral) return { type: 'string' };
    if (flags & ts.TypeFlags.Number) return { type: 'number' };
    if (flags & ts.TypeFlags.Boolean) return { type: 'boolean' };
    if (flags & ts.TypeFlags.Null) return { nullable: true, enum: [null] };
    if (type.isUnion()) return this.union(type.types);
    if (type.isIntersection()) return this.object(type);
    if (this.checker.isArrayType(type) || this.checker.isTupleType(type)) {
      const [element] = this.checker.getTypeArguments(type as ts.TypeReference);
      return { type: 'array', items: element === undefined ? {} : this.write(element) };
    }
    if (type.getSymbol()?.getName() === 'Date') return { type: 'string', format: 'date-time' };
    if (flags & ts.TypeFlags.Object) return this.object(type);
    throw new Error(`no JSON Schema for the type ${this.checker.typeToString(type)}`);
  }

  private union(members: readonly ts.Type[]): JsonSchema {
    const defined = members.filter((member) => !(member.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)));
    const nullable = defined.some((member) => member.flags & ts.TypeFlags.Null);
    const rest = defined.filter((member) => !(member.flags & ts.TypeFlags.Null));
    const nullability = nullable ? { nullable: true } : {};
    if (rest.length > 0 && rest.every((member) => member.flags & ts.TypeFlags.BooleanLiteral)) {
      return { type: 'boolean', ...nullability };
    }
    if (rest.length > 0 && rest.every((member) => member.isStringLiteral())) {
      const values: Array<string | null> = rest.map((member) => (member as ts.StringLiteralType).value);
      return { type: 'string', enum: nullable ? [...values, null] : values, ...nullability };
    }
    if (rest.length > 0 && rest.every((member) => member.isNumberLiteral())) {
      const values: Array<number | null> = rest.map((member) => (member as ts.NumberLiteralType).value);
      return { type: 'number', enum: nullable ? [...values, null] : values, ...nullability };
    }
    // `boolean` reaches a union as `true | false`: fold it back before writing the members.
    const booleans = rest.filter((member) => member.flags & ts.TypeFlags.BooleanLiteral);
    const others = rest.filter((member) => !(member.flags & ts.TypeFlags.BooleanLiteral));
    const schemas = [
      ...others.map((member) => this.write(member)),
      ...(booleans.length > 0 ? [{ type: 'boolean' }] : []),
    ];
    const [only] = schemas;
    if (schemas.length === 1 && only !== undefined) return { ...only, ...nullability };
    return { anyOf: nullable ? [...schemas, { nullable: true, enum: [null] }] : schemas };
  }

  private object(type: ts.Type): JsonSchema {
    if (this.expanding.has(type)) return {};
    this.expanding.add(type);
    try {
      const properties: Record<string, JsonSchema> = {};
      const required: string[] = [];
      for (const property of this.checker.getPropertiesOfType(type)) {
        const propertyType = this.checker.getTypeOfSymbol(property);
        if (propertyType.getCallSignatures().length > 0) continue;
        const description = ts.displayPartsToString(property.getDocumentationComment(this.checker)).trim();
        const schema = this.write(propertyType);
        properties[property.getName()] = description === '' ? schema : { ...schema, description };
        const optional =
          (property.flags & ts.SymbolFlags.Optional) !== 0 ||
          (propertyType.isUnion() && propertyType.types.some((member) => member.flags & ts.TypeFlags.Undefined));
        if (!optional) required.push(property.getName());
      }
      const index = this.checker.getIndexInfoOfType(type, ts.IndexKind.String);
      return {
        type: 'object',
        ...(Object.keys(properties).length > 0 ? { properties } : {}),
        ...(required.length > 0 ? { required } : {}),
        additionalProperties: index === undefined ? false : this.write(index.type),
      };
    } finally {
      this.expanding.delete(type);
    }
  }
}

/**
 * The success answer of every controller method, keyed by the operationId
 * @nestjs/swagger gives it (`<Controller>_<method>`), derived from the
 * method's declared return type: the response shapes are the TypeScript
 * types the services return, so the document is written from them rather
 * than from parallel DTO classes. A method answering `unknown` (a body passed
 * through from the ingestor) is left to its @ApiResponse decorator.
 */
export function generateResponseSchemas(): Record<string, GeneratedResponse> {
  const config = ts.readConfigFile(join(REPO_ROOT, 'tsconfig.base.json'), (path) => ts.sys.readFile(path));
  const { options } = ts.convertCompilerOptionsFromJson(config.config.compilerOptions, REPO_ROOT);
  const program = ts.createProgram([...controllerFiles(API_SOURCE).sort(), SERVICE_HTTP_CONTROLLER], {
    ...options,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const writer = new SchemaWriter(checker);
  const responses: Record<string, GeneratedResponse> = {};
  for (const file of program.getRootFileNames()) {
    const source = program.getSourceFile(file);
    if (source === undefined) continue;
    for (const statement of source.statements) {
      if (!ts.isClassDeclaration(statement) || statement.name === undefined) continue;
      if (!decoratorsOf(statement).some((decorator) => decorator.name === 'Controller')) continue;
      for (const member of statement.members) {
        if (!ts.isMethodDeclaration(member) || !ts.isIdentifier(member.name)) continue;
        const decorators = decoratorsOf(member);
        const method = decorators.find((decorator) => HTTP_METHOD_DECORATORS.has(decorator.name));
        if (method === undefined) continue;
        const signature = checker.getSignatureFromDeclaration(member);
        if (signature === undefined) continue;
        const returned = checker.getAwaitedType(checker.getReturnTypeOfSignature(signature));
        if (returned === undefined || returned.flags & (ts.TypeFlags.Unknown | ts.TypeFlags.Any)) continue;
        const httpCode = decorators.find((decorator) => decorator.name === 'HttpCode')?.args[0];
        const status =
          httpCode !== undefined && ts.isNumericLiteral(httpCode)
            ? Number(httpCode.text)
            : method.name === 'Post'
              ? 201
              : 200;
        const contentType = decorators.find(
          (decorator) =>
            decorator.name === 'Header' && stringLiteral(decorator.args[0])?.toLowerCase() === 'content-type',
        );
        // A method returning nothing writes its answer itself (the Prometheus exposition): text.
        const writesItself = (returned.flags & ts.TypeFlags.Void) !== 0;
        const declaredType = stringLiteral(contentType?.args[1])?.split(';')[0]?.trim();
        const mediaType = declaredType ?? (writesItself ? 'text/plain' : 'application/json');
        const json = mediaType === 'application/json';
        const schemaName = json ? nameOf(returned) : undefined;
        responses[`${statement.name.text}_${member.name.text}`] = {
          status,
          mediaType,
          ...(schemaName === undefined ? {} : { schemaName }),
          schema: json ? writer.write(returned) : { type: 'string' },
        };
      }
    }
  }
  return responses;
}
