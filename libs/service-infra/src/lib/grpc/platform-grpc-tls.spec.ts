import { credentials, Metadata, status, type ChannelCredentials, type ServiceError } from '@grpc/grpc-js';
import { Controller, Module, type INestApplication } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { GrpcMethod } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { EXECUTION_PROTO_FILES, qtsExecutionV1 } from '@qts/grpc-contracts';
import { PlatformConfigModule } from '@qts/platform-config';
import { createTestCertificates, testPlatformConfig, type TestCertificates } from '@qts/test-support';
import { ApiKeyAuthModule } from '../api-keys/api-key-auth.module';
import { PublicRoute } from '../api-keys/route-access.decorators';
import { DatabaseModule } from '../database/database.module';
import { ErrorResponseFilter } from '../errors/error-response.filter';
import { LoggingModule } from '../logging/logging.module';
import { startServices } from '../startup/start-services';
import { GrpcServingModule } from './grpc-serving.module';
import type { GrpcServingOptions } from './platform-grpc-server';

@Controller()
class EchoController {
  @GrpcMethod('ExecutionService', 'GetIntent')
  @PublicRoute()
  async getIntent(request: qtsExecutionV1.GetIntentRequest): Promise<qtsExecutionV1.GetIntentResponse> {
    return qtsExecutionV1.GetIntentResponse.fromPartial({ intentId: request.intentId });
  }
}

async function startTlsService(tls: GrpcServingOptions['tls']): Promise<{ app: INestApplication; port: number }> {
  @Module({
    imports: [
      PlatformConfigModule.forRoot({ config: testPlatformConfig() }),
      LoggingModule,
      DatabaseModule.forRoot({ defaultSqliteFile: 'unused.sqlite', entities: [], migrations: [] }),
      ApiKeyAuthModule.forRoot(),
      GrpcServingModule.forRoot({
        host: '127.0.0.1',
        port: 0,
        services: { 'qts.execution.v1.ExecutionService': qtsExecutionV1.ExecutionServiceService },
        protoFiles: EXECUTION_PROTO_FILES,
        shutdownGraceMs: 1_000,
        ...(tls === undefined ? {} : { tls }),
      }),
    ],
    controllers: [EchoController],
    providers: [{ provide: APP_FILTER, useClass: ErrorResponseFilter }],
  })
  class TlsTestModule {}
  const app = (await Test.createTestingModule({ imports: [TlsTestModule] }).compile()).createNestApplication();
  const grpc = await startServices(app);
  return { app, port: grpc.port };
}

function getIntent(port: number, channel: ChannelCredentials): Promise<{ intentId?: string; error?: ServiceError }> {
  // The certificate names localhost too: TLS server names are host names, not addresses.
  const client = new qtsExecutionV1.ExecutionServiceClient(`127.0.0.1:${port}`, channel, { 'grpc.ssl_target_name_override': 'localhost' });
  return new Promise((resolve) =>
    client.getIntent({ intentId: 'tls-1' }, new Metadata(), { deadline: Date.now() + 5_000 }, (error, response) => {
      client.close();
      resolve(error ? { error } : { intentId: response.intentId });
    }),
  );
}

describe('TLS on the gRPC server (GRPC_TLS_*)', () => {
  let certificates: TestCertificates;

  beforeAll(() => {
    certificates = createTestCertificates();
  });

  afterAll(() => certificates.remove());

  it('serves TLS clients that trust its CA and refuses plaintext', async () => {
    const { app, port } = await startTlsService({ certFile: certificates.serverCertFile, keyFile: certificates.serverKeyFile });
    try {
      const ca = certificates.read(certificates.caFile);
      expect(await getIntent(port, credentials.createSsl(ca))).toEqual({ intentId: 'tls-1' });
      expect((await getIntent(port, credentials.createInsecure())).error?.code).toBe(status.UNAVAILABLE);
    } finally {
      await app.close();
    }
  });

  it('with a client CA (mutual TLS) serves only clients with a certificate that CA signed', async () => {
    const { app, port } = await startTlsService({
      certFile: certificates.serverCertFile,
      keyFile: certificates.serverKeyFile,
      clientCaFile: certificates.caFile,
    });
    try {
      const ca = certificates.read(certificates.caFile);
      const withClient = (cert: string, key: string) => credentials.createSsl(ca, certificates.read(key), certificates.read(cert));
      expect(await getIntent(port, withClient(certificates.clientCertFile, certificates.clientKeyFile))).toEqual({ intentId: 'tls-1' });
      expect((await getIntent(port, credentials.createSsl(ca))).error?.code).toBe(status.UNAVAILABLE);
      expect((await getIntent(port, withClient(certificates.strangerCertFile, certificates.strangerKeyFile))).error?.code).toBe(status.UNAVAILABLE);
    } finally {
      await app.close();
    }
  });

  it('names the variable of a file it cannot read', async () => {
    await expect(startTlsService({ certFile: '/nonexistent/server.crt', keyFile: certificates.serverKeyFile })).rejects.toThrow(
      'GRPC_TLS_CERT_FILE: cannot read /nonexistent/server.crt (ENOENT)',
    );
  });
});
