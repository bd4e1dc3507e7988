import { Controller, Get, Header, Inject, Optional, Req, Res, type OnModuleDestroy } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { AccountDirectory } from '@qts/broker-accounts';
import {
  CONSOLE_CONTENT_SECURITY_POLICY,
  ConsoleEventStream,
  consoleViewer,
  renderConsolePage,
} from '@qts/console-ui';
import {
  API_KEY_VERIFIER,
  ApiErrorResponses,
  CurrentPrincipal,
  PublicRoute,
  RequireScope,
  ServiceShutdown,
  type ApiKeyVerifier,
  type ApiPrincipal,
} from '@qts/service-infra';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BrokerStatusWatcher } from '../brokers/broker-status-watcher';
import { API_KEY_SECURITY_SCHEME } from '../rest/api-prefix';
import { ConsoleBalances } from './console-balances';
import { ConsoleSnapshotService, type ConsoleSnapshot } from './console-snapshot.service';
import { ConsoleSnapshotDoc } from './console-snapshot.views';

/** The console pushes its state at least this often. */
export const CONSOLE_PUSH_INTERVAL_MS = 1_000;

/**
 * The gateway's operations console. The page itself holds no data and needs no key; it asks for one (read to view,
 * admin to add or deactivate accounts) and sends it as a header with every call, the live stream included.
 */
@ApiTags('console')
@Controller('dashboard')
export class DashboardController implements OnModuleDestroy {
  private readonly page = renderConsolePage('gateway');
  private readonly streams = new Set<ConsoleEventStream>();
  private readonly unsubscribe: Array<() => void>;

  constructor(
    private readonly snapshots: ConsoleSnapshotService,
    private readonly balances: ConsoleBalances,
    @Inject(API_KEY_VERIFIER) private readonly verifier: ApiKeyVerifier,
    accounts: AccountDirectory,
    status: BrokerStatusWatcher,
    @Optional() private readonly shutdown?: ServiceShutdown,
  ) {
    const triggerAll = () => {
      for (const stream of this.streams) stream.trigger();
    };
    this.unsubscribe = [accounts.onChange(triggerAll), status.subscribe(triggerAll)];
  }

  onModuleDestroy(): void {
    for (const stop of this.unsubscribe) stop();
    for (const stream of this.streams) stream.end();
  }

  @Get()
  @PublicRoute()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @Header('Content-Security-Policy', CONSOLE_CONTENT_SECURITY_POLICY)
  @ApiOperation({
    summary: 'The operations console page: brokers, accounts and balances, rate-limit usage, add account (it asks for an API key)',
  })
  @ApiProduces('text/html')
  @ApiResponse({ status: 200, description: 'The page shell (no data: the page loads it with the key it is given)' })
  show(): string {
    return this.page;
  }

  @Get('data')
  @RequireScope('read')
  @ApiSecurity(API_KEY_SECURITY_SCHEME)
  @ApiOperation({ summary: 'The console state once: brokers, connection and last health check, accounts with balances, rate-limit rules' })
  @ApiResponse({ status: 200, type: ConsoleSnapshotDoc })
  @ApiErrorResponses(401, 403)
  data(@CurrentPrincipal() principal: ApiPrincipal): ConsoleSnapshot {
    return this.snapshots.snapshot(consoleViewer(principal));
  }

  @Get('stream')
  @RequireScope('read')
  @ApiSecurity(API_KEY_SECURITY_SCHEME)
  @ApiOperation({
    summary: 'The console state as Server-Sent Events: `event: snapshot` at once, then every second and on every change',
    description:
      'Read with fetch and the X-API-Key header (EventSource cannot send headers; a key never goes in a URL). The key is checked ' +
      'again every 15 s: a revoked key ends the stream with `event: error`. Balances are asked of the brokers every ' +
      'GATEWAY_CONSOLE_BALANCE_REFRESH_MS while a console is open.',
  })
  @ApiProduces('text/event-stream')
  @ApiResponse({ status: 200, description: 'text/event-stream of ConsoleSnapshot' })
  @ApiErrorResponses(401, 403)
  stream(@CurrentPrincipal() principal: ApiPrincipal, @Req() request: IncomingMessage, @Res() response: ServerResponse): void {
    const viewer = consoleViewer(principal);
    const presented = request.headers['x-api-key'];
    const stopWatching = this.balances.watch();
    const stream = new ConsoleEventStream(request, response, {
      snapshot: () => this.snapshots.snapshot(viewer),
      intervalMs: CONSOLE_PUSH_INTERVAL_MS,
      verify: async () => {
        await this.verifier.authenticate(presented);
      },
      ...(this.shutdown === undefined ? {} : { stopping: this.shutdown.signal }),
    });
    this.streams.add(stream);
    void stream.done.then(() => {
      this.streams.delete(stream);
      stopWatching();
    });
  }
}
