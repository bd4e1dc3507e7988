import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { CONSOLE_KIT_FILES, ConsoleAssets, findConsoleAssetRoot } from './console-assets';
import { CONSOLE_CONTENT_SECURITY_POLICY, renderConsolePage } from './console-page';
import { ConsoleUiModule } from './console-ui.module';

describe('console assets', () => {
  it("finds the library's assets from source, and a bundle's copy beside it first", () => {
    expect(findConsoleAssetRoot(__dirname)).toBe(path.resolve(__dirname, '../../assets'));
    const bundle = mkdtempSync(path.join(tmpdir(), 'bundle-'));
    try {
      expect(findConsoleAssetRoot(bundle)).toBeUndefined();
      const copy = path.join(bundle, 'console-ui');
      mkdirSync(copy);
      for (const file of CONSOLE_KIT_FILES) writeFileSync(path.join(copy, file), '');
      expect(findConsoleAssetRoot(bundle)).toBe(copy);
      expect(() => new ConsoleAssets('gateway', null)).toThrow(/console assets were not found/);
    } finally {
      rmSync(bundle, { recursive: true, force: true });
    }
  });

  it("holds the kit and the service's own page script only", () => {
    expect(new ConsoleAssets('gateway').names()).toEqual([...CONSOLE_KIT_FILES, 'gateway-console.js']);
    expect(new ConsoleAssets('execution').names()).toEqual([...CONSOLE_KIT_FILES, 'execution-console.js']);
    expect(new ConsoleAssets('execution').get('gateway-console.js')).toBeUndefined();
  });

  it('renders a page shell with no inline script or style, loading only its own assets', () => {
    const html = renderConsolePage('gateway');
    expect(html).toContain('<script type="module" src="/console-ui/gateway-console.js"></script>');
    expect(html).toContain('<link rel="stylesheet" href="/console-ui/console.css">');
    expect(html).not.toMatch(/<script>|<style|style=|\son[a-z]+=|https?:\/\//);
    expect(renderConsolePage('execution')).toContain('/console-ui/execution-console.js');
    expect(CONSOLE_CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONSOLE_CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
  });

  describe('served over HTTP', () => {
    let app: INestApplication;

    beforeAll(async () => {
      const moduleRef = await Test.createTestingModule({ imports: [ConsoleUiModule.forPage('gateway')] }).compile();
      app = moduleRef.createNestApplication();
      await app.init();
    });

    afterAll(() => app.close());

    it('answers each file with its type and entity tag, 304 when unchanged, and nothing else', async () => {
      const script = await request(app.getHttpServer()).get('/console-ui/gateway-console.js').expect(200);
      expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(script.headers['cache-control']).toBe('no-cache');
      expect(script.text).toContain("const STREAM_URL = '/dashboard/stream'");
      const css = await request(app.getHttpServer()).get('/console-ui/console.css').expect(200);
      expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
      await request(app.getHttpServer()).get('/console-ui/console.css').set('If-None-Match', css.headers['etag']).expect(304);
      for (const other of ['/console-ui/execution-console.js', '/console-ui/..%2Fsrc%2Findex.ts', '/console-ui/package.json']) {
        await request(app.getHttpServer()).get(other).expect(404);
      }
    });
  });
});
