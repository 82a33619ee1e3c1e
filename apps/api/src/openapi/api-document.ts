import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, getSchemaPath, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { Problem } from './problem.dto';

const problemContent = () => ({ 'application/problem+json': { schema: { $ref: getSchemaPath(Problem) } } });
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * The API's OpenAPI document, as served at /docs and exported for the web
 * pages' types (`npm run openapi`): one builder for both, so they never differ.
 * Every error answer is described as application/problem+json.
 */
export function createApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Tiersight API')
    .setDescription('Multi-tier supplier risk visibility: supply graph, disruptions, exposures. Errors are application/problem+json (RFC 9457).')
    .setVersion('1')
    .addBearerAuth()
    .build();
  return withProblemAnswers(SwaggerModule.createDocument(app, config, { extraModels: [Problem] }));
}

/** Documents the problem+json body on every error answer an operation lists, and on any other (`default`). */
function withProblemAnswers(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const responses = item[method]?.responses;
      if (!responses) continue;
      for (const [status, response] of Object.entries(responses)) {
        const isError = status === 'default' || Number(status) >= 400;
        if (isError && response && !('$ref' in response) && !response.content) response.content = problemContent();
      }
      responses.default ??= { description: 'An error, as application/problem+json', content: problemContent() };
    }
  }
  return document;
}
