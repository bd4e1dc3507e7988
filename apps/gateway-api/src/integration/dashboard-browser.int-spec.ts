import { existsSync } from 'node:fs';
import { startSimulatorProcess, waitFor, type SimulatorProcess } from '@qts/test-support';
import { chromium, type Browser } from 'playwright-core';
import { startE2eGateway, type E2eGateway } from '../../test/e2e-gateway';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// Real headless Chromium is required (.ci/run installs the Debian package `chromium`); without it this suite
// fails with that message instead of skipping.
describe(`dashboard in headless Chromium (${CHROMIUM})`, () => {
  let simulator: SimulatorProcess;
  let gateway: E2eGateway;
  let browser: Browser;

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
    await browser?.close();
    await gateway?.close();
    await simulator?.stop();
  });

  it('shows every broker with its flags and rate-limit rules, and updates when a broker goes down', async () => {
    const page = await browser.newPage();
    const external: string[] = [];
    page.on('request', (req) => {
      if (!req.url().startsWith(gateway.baseUrl)) external.push(req.url());
    });
    await page.goto(`${gateway.baseUrl}/dashboard`);
    const status = page.locator('tr[data-broker="kis"] [data-field="status"]');
    await status.filter({ hasText: 'CONNECTED' }).waitFor({ timeout: 20_000 });
    await page.locator('tr[data-broker="paper"] [data-field="mock"]').filter({ hasText: 'mock: yes' }).waitFor();
    await page.locator('tr[data-broker="kis"] [data-rule="requests"]').waitFor();
    expect(await page.locator('tr[data-broker="paper"] [data-field="rateLimit"]').textContent()).toBe('no limiter');

    await simulator.stop();
    await status.filter({ hasText: 'DISCONNECTED' }).waitFor({ timeout: 20_000 });

    await simulator.restart();
    await status.filter({ hasText: /^CONNECTED$/ }).waitFor({ timeout: 30_000 });
    await waitFor(() => external.length === 0, { timeoutMs: 1, description: 'no request outside the gateway' });
    await page.close();
  });
});
