import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';
import type { PackageDefinition } from '@grpc/proto-loader';

/**
 * A package definition for @nestjs/microservices built from the generated (ts-proto) service definitions: the
 * generated serializers encode and decode every message, and methods are named as in the .proto files
 * (`@GrpcMethod('BrokerGatewayService', 'GetQuote')`), each with the camelCase name as its `originalName`.
 */
export function grpcPackageDefinition(services: Readonly<Record<string, ServiceDefinition>>): PackageDefinition {
  const definition: Record<string, Record<string, MethodDefinition<unknown, unknown>>> = {};
  for (const [serviceName, service] of Object.entries(services)) {
    const methods: Record<string, MethodDefinition<unknown, unknown>> = {};
    for (const [originalName, method] of Object.entries(service)) {
      const protoName = method.path.slice(method.path.lastIndexOf('/') + 1);
      if (method.path !== `/${serviceName}/${protoName}`) {
        throw new Error(`${method.path} is not a method of ${serviceName}`);
      }
      methods[protoName] = { ...method, originalName };
    }
    definition[serviceName] = methods;
  }
  return definition as unknown as PackageDefinition;
}
