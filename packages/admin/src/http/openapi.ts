import type { TSchema } from '@sinclair/typebox';
import type { Operation } from '../operations/define.js';

/** The path of `op` in OpenAPI form under `prefix` (`{name}` segments stay as they are). */
function pathParams(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
}

/** A TypeBox schema as plain JSON Schema (TypeBox's symbol keys dropped). */
function plain(schema: TSchema): Record<string, unknown> {
  return JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
}

const ERROR = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        issues: {
          type: 'array',
          items: {
            type: 'object',
            properties: { path: { type: 'string' }, rule: { type: 'string' } },
          },
        },
      },
    },
  },
};

/**
 * The OpenAPI 3.1 document of the operations as the HTTP face serves them under
 * `prefix`, generated from the same schemas that validate requests.
 */
export function openApiDocument(
  ops: readonly Operation[],
  prefix: string,
  version: string,
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of ops) {
    const req = plain(op.request) as {
      properties?: Record<string, Record<string, unknown>>;
      required?: string[];
    };
    const inPath = pathParams(op.http.path);
    const props = req.properties ?? {};
    const required = new Set(req.required ?? []);
    const parameters: Record<string, unknown>[] = inPath.map((name) => ({
      name,
      in: 'path',
      required: true,
      schema: props[name] ?? { type: 'string' },
    }));
    const operation: Record<string, unknown> = {
      operationId: op.id,
      summary: op.summary,
      description: `Role: ${op.role}.${op.mutates ? ' Mutation: needs a reason, is audited, and (without a bearer token) must be same-origin JSON.' : ''}`,
      'x-mq-role': op.role,
      'x-mq-mutates': op.mutates,
      security: [{ bearer: [] }],
      responses: {
        '200': { description: 'OK', content: { 'application/json': { schema: plain(op.result) } } },
        default: { description: 'Error', content: { 'application/json': { schema: ERROR } } },
      },
    };
    if (op.http.method === 'GET') {
      for (const [name, schema] of Object.entries(props))
        if (!inPath.includes(name))
          parameters.push({ name, in: 'query', required: required.has(name), schema });
    } else {
      const body = {
        ...req,
        properties: Object.fromEntries(Object.entries(props).filter(([k]) => !inPath.includes(k))),
      };
      body.required = (req.required ?? []).filter((k) => !inPath.includes(k));
      operation.requestBody = { required: true, content: { 'application/json': { schema: body } } };
    }
    operation.parameters = parameters;
    const p = `${prefix}${op.http.path}`;
    paths[p] ??= {};
    (paths[p] as Record<string, unknown>)[op.http.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: { title: '@mq/admin', version },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}
