import { Controller, Get, Inject, Module, NotFoundException, Param, Req, Res, type DynamicModule } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PublicRoute } from '@qts/service-infra';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CONSOLE_ASSET_PATH, ConsoleAssets, type ConsolePage } from './console-assets';

/** DI token of the service's ConsoleAssets. */
export const CONSOLE_ASSETS = Symbol('CONSOLE_ASSETS');

/**
 * The console's scripts and stylesheet, from memory. No key: they hold no data (the page asks for a key and sends it
 * with every call). Revalidated by entity tag, so a new release is picked up at the next load.
 */
@ApiExcludeController()
@PublicRoute()
@Controller(CONSOLE_ASSET_PATH)
export class ConsoleAssetsController {
  constructor(@Inject(CONSOLE_ASSETS) private readonly assets: ConsoleAssets) {}

  @Get(':file')
  serve(@Param('file') file: string, @Req() request: IncomingMessage, @Res() response: ServerResponse): void {
    const asset = this.assets.get(file);
    if (asset === undefined) throw new NotFoundException();
    response.setHeader('Content-Type', asset.contentType);
    response.setHeader('Cache-Control', 'no-cache');
    response.setHeader('ETag', asset.etag);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    if (request.headers['if-none-match'] === asset.etag) {
      response.statusCode = 304;
      response.end();
      return;
    }
    response.statusCode = 200;
    response.setHeader('Content-Length', String(asset.body.length));
    response.end(asset.body);
  }
}

/** Serves the console kit and one page's script under /console-ui/ (the gateway's or the worker's). */
@Module({})
export class ConsoleUiModule {
  static forPage(page: ConsolePage): DynamicModule {
    return {
      module: ConsoleUiModule,
      controllers: [ConsoleAssetsController],
      providers: [{ provide: CONSOLE_ASSETS, useFactory: () => new ConsoleAssets(page) }],
      exports: [CONSOLE_ASSETS],
    };
  }
}
