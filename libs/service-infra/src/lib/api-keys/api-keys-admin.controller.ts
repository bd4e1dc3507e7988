import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post, type Type } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '../errors/api-error-responses.decorator';
import { ApiKeyStore, type ApiKeyStoreOptions } from './api-key-store';
import { ApiKeyIdParams, ApiKeyListView, ApiKeySummaryView, CreateApiKeyBody, CreatedApiKeyView } from './api-key.views';
import { RequireScope } from './route-access.decorators';

/**
 * The admin routes of a service's key store at `options.adminPath` (admin scope): create (the only answer that
 * shows a key: never cached), list without secrets, revoke.
 */
export function apiKeysAdminController(options: ApiKeyStoreOptions): Type<unknown> {
  @ApiTags('admin')
  @RequireScope('admin')
  @Controller(options.adminPath)
  class ApiKeysAdminController {
    constructor(private readonly apiKeys: ApiKeyStore) {}

    @Post()
    @Header('Cache-Control', 'no-store')
    @ApiOperation({ summary: 'Create an API key; the answer is the only time the key is shown' })
    @ApiResponse({ status: 201, type: CreatedApiKeyView })
    @ApiErrorResponses(400, 401, 403)
    create(@Body() body: CreateApiKeyBody): Promise<CreatedApiKeyView> {
      return this.apiKeys.create(body.name, body.scopes, body.strategies);
    }

    @Get()
    @ApiOperation({ summary: 'List API keys (without secrets)' })
    @ApiResponse({ status: 200, type: ApiKeyListView })
    @ApiErrorResponses(401, 403)
    async list(): Promise<ApiKeyListView> {
      return { keys: await this.apiKeys.list() };
    }

    @Delete(':id')
    @HttpCode(200)
    @ApiOperation({ summary: 'Revoke an API key (effective immediately)' })
    @ApiResponse({ status: 200, type: ApiKeySummaryView })
    @ApiErrorResponses(400, 401, 403, 404)
    revoke(@Param() params: ApiKeyIdParams): Promise<ApiKeySummaryView> {
      return this.apiKeys.revoke(params.id);
    }
  }
  if (options.openApiSecurityScheme !== undefined) ApiSecurity(options.openApiSecurityScheme)(ApiKeysAdminController);
  return ApiKeysAdminController;
}
