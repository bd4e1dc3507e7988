import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

/**
 * The grpc-js call object of a @GrpcMethod handler (its third argument), for handlers that also use parameter
 * decorators such as @Payload() and @CurrentPrincipal(): with those, Nest passes only decorated arguments, and
 * @Ctx() is the call's metadata, not the call.
 */
export const GrpcCall = createParamDecorator((_data: unknown, context: ExecutionContext): unknown => context.getArgByIndex(2));
