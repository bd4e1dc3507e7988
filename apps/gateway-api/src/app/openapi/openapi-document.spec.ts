import { API_CONTENT_SECURITY_POLICY, PAGE_CONTENT_SECURITY_POLICY } from '@qts/service-infra';
import SwaggerParser from '@apidevtools/swagger-parser';
import request from 'supertest';
import { createTestGateway, type TestGateway } from '../../../test/gateway-test-app';

/** Every route of the gateway as the OpenAPI document must list it. */
const ROUTES: ReadonlyArray<[method: string, path: string]> = [
  ['get', '/api/v1/brokers'],
  ['get', '/api/v1/brokers/{brokerId}'],
  ['get', '/api/v1/brokers/{brokerId}/symbols'],
  ['get', '/api/v1/brokers/{brokerId}/candles'],
  ['get', '/api/v1/brokers/{brokerId}/quotes/{symbol}'],
  ['get', '/api/v1/brokers/{brokerId}/quotes/{symbol}/stream'],
  ['get', '/api/v1/brokers/{brokerId}/accounts/{accountId}/balance'],
  ['get', '/api/v1/brokers/{brokerId}/accounts/{accountId}/positions'],
  ['post', '/api/v1/brokers/{brokerId}/accounts/{accountId}/orders'],
  ['get', '/api/v1/brokers/{brokerId}/orders/{orderId}'],
  ['delete', '/api/v1/brokers/{brokerId}/orders/{orderId}'],
  ['post', '/api/v1/admin/api-keys'],
  ['get', '/api/v1/admin/api-keys'],
  ['delete', '/api/v1/admin/api-keys/{id}'],
  ['get', '/health/live'],
  ['get', '/health/ready'],
  ['get', '/health/brokers/{brokerId}'],
  ['get', '/metrics'],
  ['get', '/dashboard'],
  ['get', '/dashboard/data'],
];

interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
  security?: Array<Record<string, unknown>>;
  parameters?: Array<{ name: string; in: string }>;
  requestBody?: unknown;
}

describe('OpenAPI document', () => {
  let gateway: TestGateway;
  let document: { paths: Record<string, Record<string, Operation>>; components: Record<string, Record<string, unknown>> };

  beforeAll(async () => {
    gateway = await createTestGateway();
    document = (await request(gateway.app.getHttpServer()).get('/docs-json').expect(200)).body;
  });

  afterAll(async () => {
    await gateway.close();
  });

  it('is a valid OpenAPI document', async () => {
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it('lists every route, and nothing else', () => {
    const listed = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method} ${path}`),
    );
    expect(listed.sort()).toEqual(ROUTES.map(([method, path]) => `${method} ${path}`).sort());
  });

  it('declares the X-API-Key scheme and uses it on every /api/v1 route', () => {
    expect(document.components['securitySchemes']['api-key']).toEqual(
      expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-API-Key' }),
    );
    for (const [method, path] of ROUTES.filter(([, path]) => path.startsWith('/api/v1'))) {
      expect({ route: `${method} ${path}`, security: document.paths[path][method].security }).toEqual({
        route: `${method} ${path}`,
        security: [{ 'api-key': [] }],
      });
    }
  });

  it('documents the error body on the error statuses of every broker route', () => {
    const errorSchema = '#/components/schemas/ErrorBody';
    // Routes that call a broker (GET /brokers/{brokerId} only reads the configuration and status).
    for (const [method, path] of ROUTES.filter(([, path]) => path.startsWith('/api/v1/brokers/{brokerId}/'))) {
      const responses = document.paths[path][method].responses;
      for (const status of ['400', '401', '403', '404', '429', '503', '504']) {
        expect({ route: `${method} ${path}`, status, ref: responses[status]?.content?.['application/json']?.schema?.$ref }).toEqual({
          route: `${method} ${path}`,
          status,
          ref: errorSchema,
        });
      }
    }
    const placeOrder = document.paths['/api/v1/brokers/{brokerId}/accounts/{accountId}/orders']['post'];
    expect(Object.keys(placeOrder.responses)).toEqual(expect.arrayContaining(['201', '409', '422']));
    expect(placeOrder.requestBody).toBeDefined();
    expect(placeOrder.parameters?.map((parameter) => parameter.name)).toContain('Idempotency-Key');
  });

  it('serves the UI at /docs', async () => {
    const response = await request(gateway.app.getHttpServer()).get('/docs').redirects(1).expect(200);
    expect(response.text).toContain('swagger');
    // The UI's own scripts and styles may load; nothing from elsewhere, no framing.
    expect(response.headers['content-security-policy']).toBe(PAGE_CONTENT_SECURITY_POLICY);
    const json = await request(gateway.app.getHttpServer()).get('/docs-json').expect(200);
    expect(json.headers['content-security-policy']).toBe(API_CONTENT_SECURITY_POLICY);
  });
});
