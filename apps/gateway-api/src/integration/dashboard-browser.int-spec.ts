import { existsSync } from 'node:fs';
import { startSimulatorProcess, type SimulatorProcess } from '@qts/test-support';
import { chromium, type Browser, type Page } from 'playwright-core';
import { E2E_ADMIN_KEY, startE2eGateway, type E2eGateway } from '../../test/e2e-gateway';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const CANDLES = '/api/v1/brokers/kis/candles?symbol=005930&timeframe=60m&start=2024-02-05&end=2024-02-09T23:59:59Z';

// The console's offline-mode banner, with a mock broker beside a simulated one. The rest of the console (built apps,
// the worker's execution view) is proven by tools/console-e2e. Real headless Chromium is required (.ci/run installs
// the Debian package `chromium`); without it this suite fails with that message instead of skipping.
describe(`the console's offline-mode banner in headless Chromium (${CHROMIUM})`, () => {
  let simulator: SimulatorProcess;
  let gateway: E2eGateway;
  let browser: Browser;
  let page: Page | undefined;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install the Debian package chromium (see .ci/run)`);
    simulator = await startSimulatorProcess({
      brokers: [{ id: 'kis', type: 'KIS', preset: 'none', accounts: [{ id: '50012345-01', type: 'PAPER' }] }],
    });
    gateway = await startE2eGateway([
      {
        id: 'kis',
        type: 'KIS',
        grpc: { host: '127.0.0.1', port: simulator.brokerPorts['kis'] },
        rateLimit: { rules: [{ id: 'requests', limit: 20, windowMs: 1_000 }] },
        required: true,
        accounts: [{ id: '50012345-01', type: 'PAPER', default: true }],
      },
      {
        id: 'paper',
        type: 'KIWOOM',
        grpc: { host: '127.0.0.1', port: 1 },
        rateLimit: { preset: 'kiwoom' },
        mock: true,
        required: false,
        accounts: [{ id: '5012345601', type: 'PAPER' }],
      },
    ]);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 60_000 });
  });

  afterAll(async () => {
    await page?.close();
    await browser?.close();
    await gateway?.close();
    await simulator?.stop();
  });

  const candles = async () => {
    const response = await fetch(`${gateway.baseUrl}${CANDLES}`, { headers: { 'x-api-key': E2E_ADMIN_KEY } });
    await response.arrayBuffer();
    return { status: response.status, source: response.headers.get('x-data-source') };
  };

  it('names the mock broker, and a broker served from the cache while it is down until it is back', async () => {
    page = await browser.newPage();
    await page.goto(`${gateway.baseUrl}/dashboard`);
    await page.getByLabel(/API 키/).fill(E2E_ADMIN_KEY);
    await page.keyboard.press('Enter');

    const banner = page.locator('[data-field="offline-banner"]');
    await banner.filter({ hasText: /모의 브로커 \(mock broker\): 키움증권/ }).waitFor({ timeout: 15_000 });
    expect(await banner.innerText()).not.toMatch(/캐시|cache/);
    expect(await banner.getAttribute('class')).toBe('banner');
    expect(await page.locator('[data-broker="paper"]').innerText()).toMatch(/No limiter \(mock broker\)/);
    expect(await candles()).toEqual({ status: 200, source: 'broker' });

    await simulator.stop();
    try {
      const connection = page.locator('[data-broker="kis"] [data-field="connection"]');
      await connection.and(page.locator('[data-status="DISCONNECTED"]')).waitFor({ timeout: 15_000 });
      expect(await candles()).toEqual({ status: 200, source: 'cache' });
      await banner.filter({ hasText: /캐시 데이터 제공 중 \(served from cache\): 한국투자증권/ }).waitFor({ timeout: 3_000 });
      expect(await banner.getAttribute('class')).toBe('banner limit');
      expect(await page.locator('[data-broker="kis"]').innerText()).toMatch(/오프라인 offline/);
    } finally {
      await simulator.restart();
    }
    await banner.filter({ hasNotText: /캐시|cache/ }).waitFor({ timeout: 30_000 });
    expect(await banner.innerText()).toMatch(/모의 브로커 \(mock broker\): 키움증권/);
  });
});
