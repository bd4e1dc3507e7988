import { Controller, Get, Header, Inject, Optional, Req, Res } from '@nestjs/common';
import { CONSOLE_CONTENT_SECURITY_POLICY, ConsoleEventStream, consoleViewer, renderConsolePage } from '@qts/console-ui';
import {
  API_KEY_VERIFIER,
  CurrentPrincipal,
  PublicRoute,
  RequireScope,
  ServiceShutdown,
  type ApiKeyVerifier,
  type ApiPrincipal,
} from '@qts/service-infra';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ExecutionConsoleService, type ExecutionSnapshot } from './execution-console.service';
import { ExecutionConsoleStreams } from './execution-console-streams';

/** The console pushes its state at least this often. */
export const EXECUTION_CONSOLE_PUSH_INTERVAL_MS = 1_000;

/**
 * The execution console on the worker's HTTP port: recent intents and orders, the fail-safe of every account with
 * its reset, UNKNOWN orders. The page needs no key; its data needs a worker key with the read scope (admin to reset),
 * sent as a header, the live stream included. A key bound to strategies sees their intents only, as over gRPC.
 */
@Controller('executions')
export class ExecutionConsoleController {
  private readonly page = renderConsolePage('execution');

  constructor(
    private readonly console: ExecutionConsoleService,
    private readonly streams: ExecutionConsoleStreams,
    @Inject(API_KEY_VERIFIER) private readonly verifier: ApiKeyVerifier,
    @Optional() private readonly shutdown?: ServiceShutdown,
  ) {}

  @Get()
  @PublicRoute()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @Header('Content-Security-Policy', CONSOLE_CONTENT_SECURITY_POLICY)
  show(): string {
    return this.page;
  }

  @Get('data')
  @RequireScope('read')
  data(@CurrentPrincipal() principal: ApiPrincipal): Promise<ExecutionSnapshot> {
    return this.console.snapshot(consoleViewer(principal), principal.strategies);
  }

  /** Server-Sent Events over fetch with the X-API-Key header: a snapshot at once, every second and on every report. */
  @Get('stream')
  @RequireScope('read')
  stream(@CurrentPrincipal() principal: ApiPrincipal, @Req() request: IncomingMessage, @Res() response: ServerResponse): void {
    const viewer = consoleViewer(principal);
    const presented = request.headers['x-api-key'];
    this.streams.add(
      new ConsoleEventStream(request, response, {
        snapshot: () => this.console.snapshot(viewer, principal.strategies),
        intervalMs: EXECUTION_CONSOLE_PUSH_INTERVAL_MS,
        verify: async () => {
          await this.verifier.authenticate(presented);
        },
        ...(this.shutdown === undefined ? {} : { stopping: this.shutdown.signal }),
      }),
    );
  }
}
