import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { API_KEY_SECURITY_SCHEME, API_PREFIX } from '../rest/api-prefix';
import { ApiKeyService } from './api-key.service';
import {
  ApiKeyIdParams,
  ApiKeyListView,
  ApiKeySummaryView,
  CreateApiKeyBody,
  CreatedApiKeyView,
} from './api-key.views';
import { ApiErrorResponses, RequireScope } from '@qts/service-infra';

@ApiTags('admin')
@ApiSecurity(API_KEY_SECURITY_SCHEME)
@RequireScope('admin')
@Controller(`${API_PREFIX}/admin/api-keys`)
export class AdminApiKeysController {
  constructor(private readonly apiKeys: ApiKeyService) {}

  @Post()
  @ApiOperation({ summary: 'Create an API key; the answer is the only time the key is shown' })
  @ApiResponse({ status: 201, type: CreatedApiKeyView })
  @ApiErrorResponses(400, 401, 403)
  create(@Body() body: CreateApiKeyBody): Promise<CreatedApiKeyView> {
    return this.apiKeys.create(body.name, body.scopes);
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
