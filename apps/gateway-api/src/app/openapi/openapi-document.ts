import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { API_KEY_SECURITY_SCHEME } from '../rest/api-prefix';

export const DOCS_PATH = 'docs';
export const DOCS_JSON_PATH = 'docs-json';

/** The OpenAPI 3 document of every route, built from the controllers' decorators. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('QTS broker gateway')
    .setDescription(
      'Market data, accounts and manual orders of the configured Korean brokers (KIS, Kiwoom, Creon). Decimals ' +
        'are strings. Errors are { statusCode, code, message } with a stable code. Health, metrics and the ' +
        'dashboard need no API key.',
    )
    .setVersion('1')
    .addApiKey(
      { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'API key with scope read, trade or admin' },
      API_KEY_SECURITY_SCHEME,
    )
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Serves the UI at /docs and the JSON at /docs-json (assets from swagger-ui-dist, no CDN). */
export function setupOpenApi(app: INestApplication): OpenAPIObject {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup(DOCS_PATH, app, document, { jsonDocumentUrl: DOCS_JSON_PATH, raw: ['json'] });
  return document;
}
