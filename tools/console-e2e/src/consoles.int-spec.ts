import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { waitFor } from '@qts/test-support';
import {
  ACCOUNTS,
  ADMIN_API_KEY,
  createApiKey,
  restingBuy,
  SCREENSHOTS,
  startConsolePlatform,
  submitIntent,
  type ConsolePlatform,
} from '../test/console-platform';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Every account number the platform has: none may reach a page, an answer or a scrape without a key. */
const ACCOUNT_NUMBERS = Object.values(ACCOUNTS);

// Real headless Chromium is required (.ci/run installs the Debian package `chromium`); without it this suite fails
// with that message instead of skipping.
describe(`the operations consoles in headless Chromium (${CHROMIUM}), against the built apps and simulator`, () => {
  let platform: ConsolePlatform;
  let browser: Browser;
  let readKey: string;
  const pages: Page[] = [];
  const outside: string[] = [];

  /** A fresh browser context (its own tab storage) on `url`; with a key, typed into the key form and sent with Enter. */
  async function open(url: string, key?: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1360, height: 1100 }, locale: 'ko-KR', timezoneId: 'Asia/Seoul' });
    const page = await context.newPage();
    pages.push(page);
    page.on('request', (request) => {
      if (!request.url().startsWith(platform.gateway.httpUrl) && !request.url().startsWith(platform.worker.httpUrl)) outside.push(request.url());
    });
    await page.goto(url);
    if (key !== undefined) {
      await page.getByLabel(/API 키/).fill(key);
      await page.keyboard.press('Enter');
    }
    return page;
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, name), fullPage: true, animations: 'disabled' });
  const get = (path: string, key?: string) => fetch(`${platform.gateway.httpUrl}${path}`, { headers: key === undefined ? {} : { 'x-api-key': key } });

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install the Debian package chromium (see .ci/run)`);
    platform = await startConsolePlatform();
    readKey = await createApiKey(platform.gateway.httpUrl, '/api/v1/admin/api-keys', { name: 'console-reader', scopes: ['read'] });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 60_000 });
  });

  afterAll(async () => {
    for (const page of pages) await page.context().close().catch(() => undefined);
    await browser?.close();
    await platform?.stop();
  });

  it('shows no account data without a key: the pages ask for one, the data answers 401', async () => {
    for (const [url, path] of [
      [platform.gateway.httpUrl, '/dashboard/data'],
      [platform.gateway.httpUrl, '/dashboard/stream'],
      [platform.gateway.httpUrl, '/api/v1/accounts'],
      [platform.gateway.httpUrl, '/api/v1/brokers/kis/accounts'],
      [platform.worker.httpUrl, '/admin/accounts'],
      [platform.worker.httpUrl, '/executions/data'],
      [platform.worker.httpUrl, '/executions/stream'],
    ]) {
      const response = await fetch(`${url}${path}`);
      expect({ path, status: response.status }).toEqual({ path, status: 401 });
      const body = await response.text();
      for (const number of ACCOUNT_NUMBERS) expect(body).not.toContain(number);
    }

    const dashboard = await open(`${platform.gateway.httpUrl}/dashboard`);
    await dashboard.getByLabel(/API 키/).waitFor();
    const requested: string[] = [];
    dashboard.on('request', (request) => requested.push(new URL(request.url()).pathname));
    const text = await dashboard.locator('body').innerText();
    for (const number of ACCOUNT_NUMBERS) expect(text).not.toContain(number);
    expect(text).not.toContain('₩');
    expect(await dashboard.locator('section.broker').count()).toBe(0);
    await shot(dashboard, '01-gateway-console-asks-for-a-key.png');

    // A wrong key: refused, still no data, the form again with the reason.
    await dashboard.getByLabel(/API 키/).fill('qts_not-a-real-key');
    await dashboard.keyboard.press('Enter');
    await dashboard.getByText(/키가 거부되었습니다/).waitFor({ timeout: 10_000 });
    expect(await dashboard.locator('section.broker').count()).toBe(0);
    expect(requested.every((path) => !path.includes('?'))).toBe(true);

    const executions = await open(`${platform.worker.httpUrl}/executions`);
    await executions.getByLabel(/API 키/).waitFor();
    expect(await executions.locator('[data-section="intents"]').count()).toBe(0);
  });

  it('lists every broker with its Korean name, connection and last health check, and accounts with ₩ balances', async () => {
    const page = await open(`${platform.gateway.httpUrl}/dashboard`, readKey);
    await page.locator('section.broker').nth(2).waitFor({ timeout: 15_000 });
    const headings = await page.locator('section.broker h2').allInnerTexts();
    expect(headings).toEqual([expect.stringContaining('한국투자증권'), expect.stringContaining('대신증권'), expect.stringContaining('키움증권')]);

    // Balances arrive with the first refresh after the console opened.
    const balances = page.locator('section.broker [data-field="balance"]');
    await page.waitForFunction(
      () => [...document.querySelectorAll('section.broker [data-field="balance"]')].every((cell) => /^₩\d{1,3}(,\d{3})*$/.test(cell.textContent ?? '')),
      undefined,
      { timeout: 15_000 },
    );
    expect(await balances.count()).toBe(4);
    for (const cell of await page.locator('section.broker [data-field="buying-power"]').allInnerTexts()) expect(cell).toMatch(/^₩\d{1,3}(,\d{3})*$/);
    const numbers = await page.locator('section.broker [data-field="number"]').allInnerTexts();
    expect(numbers).toEqual(['••••••45-01', '••••••01-01', '••••5678', '••••••5601']);
    const text = await page.locator('body').innerText();
    for (const number of ACCOUNT_NUMBERS) expect(text).not.toContain(number);
    expect(await page.locator('[data-broker="kis"] [data-field="type"]').allInnerTexts()).toEqual([
      expect.stringContaining('모의투자'),
      expect.stringMatching(/실전투자[\s\S]*Live trading disabled/),
    ]);
    await expect(page.locator('[data-broker="kis"] [data-field="default"]').count()).resolves.toBe(1);

    for (const broker of ['kis', 'creon', 'kiwoom']) {
      const connection = page.locator(`[data-broker="${broker}"] [data-field="connection"]`);
      await connection.and(page.locator('[data-status="CONNECTED"]')).waitFor({ timeout: 15_000 });
      expect(await connection.innerText()).toContain('연결됨');
      expect(await page.locator(`[data-broker="${broker}"] .dot`).first().getAttribute('class')).toContain('ok');
      expect(await page.locator(`[data-broker="${broker}"] [data-field="last-check"]`).innerText()).toMatch(/\d{2}:\d{2}:\d{2} KST/);
    }
    expect(await page.locator('[data-broker="kiwoom"] .rule').first().innerText()).toMatch(/requests · 5 \/ 1 s[\s\S]*정상/);
    // Every word on the page is readable: WCAG AA contrast (4.5:1) against the background it is drawn on.
    const lowContrast = await page.evaluate(() => {
      const luminance = (rgb: number[]) =>
        rgb
          .map((value) => value / 255)
          .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
          .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
      const channels = (colour: string) => (colour.match(/[\d.]+/g) ?? []).map(Number);
      const background = (element: Element | null): number[] => {
        for (let at = element; at !== null; at = at.parentElement) {
          const [r, g, b, a = 1] = channels(getComputedStyle(at).backgroundColor);
          if (a > 0) return [r, g, b];
        }
        return [255, 255, 255];
      };
      const failing: string[] = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
        const element = node.parentElement;
        if (element === null || (node.textContent ?? '').trim() === '' || element.closest('[hidden], dialog:not([open])')) continue;
        const [lighter, darker] = [luminance(channels(getComputedStyle(element).color).slice(0, 3)), luminance(background(element))].sort((a, b) => b - a);
        const ratio = (lighter + 0.05) / (darker + 0.05);
        if (ratio < 4.5) failing.push(`${(node.textContent ?? '').trim()} (${ratio.toFixed(2)})`);
      }
      return failing;
    });
    expect(lowContrast).toEqual([]);
    // A read key sees no admin action.
    expect(await page.locator('[data-action="add-account"]:visible').count()).toBe(0);
    await shot(page, '02-brokers-accounts-balances.png');
  });

  it('turns the bar of a broker under load from 정상 to 주의 or 제한 within two seconds', async () => {
    const page = await open(`${platform.gateway.httpUrl}/dashboard`, readKey);
    const rule = page.locator('[data-broker="kiwoom"] .rule').first();
    await rule.and(page.locator('[data-level="ok"]')).waitFor({ timeout: 15_000 });
    expect(await rule.locator('[data-field="level"]').innerText()).toContain('정상');

    // Twelve callers asking kiwoom (5 requests a second) for quotes, back to back, for a few seconds.
    let driving = true;
    const callers = Array.from({ length: 12 }, async () => {
      while (driving) await (await get('/api/v1/brokers/kiwoom/quotes/005930', readKey)).arrayBuffer();
    });
    try {
      const loaded = page.locator('[data-broker="kiwoom"] .rule[data-level="warn"], [data-broker="kiwoom"] .rule[data-level="limit"]');
      await loaded.first().waitFor({ timeout: 2_000 });
      expect(await rule.locator('[data-field="level"]').innerText()).toMatch(/주의|제한/);
      await page.locator('[data-broker="kiwoom"] [data-field="waiters"]').filter({ hasNotText: /대기 0 / }).waitFor({ timeout: 5_000 });
      await shot(page, '03-kiwoom-under-load.png');
    } finally {
      driving = false;
      await Promise.all(callers);
    }
    await rule.and(page.locator('[data-level="ok"]')).waitFor({ timeout: 15_000 });
  });

  it('turns the dot red while the simulator is stopped, and green again once it is back', async () => {
    const page = await open(`${platform.gateway.httpUrl}/dashboard`, readKey);
    const connection = page.locator('[data-broker="kis"] [data-field="connection"]');
    await connection.and(page.locator('[data-status="CONNECTED"]')).waitFor({ timeout: 15_000 });

    await platform.simulator.stop();
    try {
      await connection.and(page.locator('[data-status="DISCONNECTED"]')).waitFor({ timeout: 15_000 });
      expect(await page.locator('[data-broker="kis"] .dot').first().getAttribute('class')).toContain('limit');
      expect(await connection.innerText()).toContain('연결 끊김');
      await shot(page, '04-simulator-stopped.png');
    } finally {
      await platform.simulator.restart();
    }
    await connection.and(page.locator('[data-status="CONNECTED"]')).waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-broker="kis"] .dot').first().getAttribute('class')).toContain('ok');
    // Both services have their brokers back before the next tests trade.
    for (const app of [platform.gateway, platform.worker]) {
      await waitFor(async () => (await fetch(`${app.httpUrl}/health/ready`)).status === 200, {
        timeoutMs: 30_000,
        intervalMs: 250,
        description: `${app.name} ready again`,
      });
    }
  });

  it('adds an account from the console: it appears at once and takes orders through the gateway and the worker', async () => {
    const page = await open(`${platform.gateway.httpUrl}/dashboard`, ADMIN_API_KEY);
    const add = page.locator('[data-broker="kis"] [data-action="add-account"]');
    await add.waitFor({ timeout: 15_000 });
    // By keyboard: the button takes focus and Enter opens the dialog on the account number; Escape closes it.
    const dialog = page.getByRole('dialog', { name: /계좌 추가/ });
    await add.focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('add-number');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await add.focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await dialog.getByLabel(/계좌번호/).fill(ACCOUNTS.kisUnlisted);
    await dialog.getByLabel(/^이름/).fill('모의투자 2');
    await dialog.getByLabel(/실전투자/).check();
    await dialog.locator('[data-field="live-warning"]').waitFor();
    expect(await dialog.locator('[data-field="live-warning"]').innerText()).toContain('LIVE_TRADING_ENABLED=false');
    await shot(page, '05-add-account-real-warns.png');
    await dialog.getByLabel(/모의투자/).check();
    expect(await dialog.locator('[data-field="live-warning"]').isHidden()).toBe(true);
    await dialog.getByRole('button', { name: /추가/ }).click();

    // At once: pushed to the open console on the change, before any refresh period.
    const row = page.locator('[data-broker="kis"] tr[data-account="••••••45-02"]');
    await row.waitFor({ timeout: 3_000 });
    expect(await row.getAttribute('data-source')).toBe('runtime');
    await page.waitForFunction(
      () => /^₩[\d,]+$/.test(document.querySelector('[data-broker="kis"] tr[data-account="••••••45-02"] [data-field="balance"]')?.textContent ?? ''),
      undefined,
      { timeout: 10_000 },
    );
    await shot(page, '06-account-added.png');

    const listed = (await (await get('/api/v1/accounts', readKey)).json()) as { accounts: Array<{ brokerId: string; id: string; source: string }> };
    expect(listed.accounts).toContainEqual(expect.objectContaining({ brokerId: 'kis', id: ACCOUNTS.kisUnlisted, source: 'runtime' }));

    const viaGateway = await fetch(`${platform.gateway.httpUrl}/api/v1/brokers/kis/accounts/${ACCOUNTS.kisUnlisted}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': ADMIN_API_KEY, 'idempotency-key': 'console-added-gateway' },
      body: JSON.stringify({ symbol: '005930', side: 'BUY', orderType: 'LIMIT', quantity: 1, price: '500' }),
    });
    expect(viaGateway.status).toBe(201);
    const viaWorker = await submitIntent(platform.workerClient, restingBuy('console-added-worker', ACCOUNTS.kisUnlisted));
    expect(viaWorker).toMatchObject({ accepted: true, failSafeCode: '' });
    const atBroker = await platform.simulator.admin.listOrders('kis', ACCOUNTS.kisUnlisted);
    expect(atBroker).toHaveLength(2);
  });

  it('shows three failures tripping the fail-safe on the execution view, and its reset button clears it', async () => {
    const page = await open(`${platform.worker.httpUrl}/executions`, ADMIN_API_KEY);
    const guard = page.locator(`tr[data-guard="kis/${ACCOUNTS.kisPaper}"]`);
    await guard.and(page.locator('[data-tripped="false"]')).waitFor({ timeout: 15_000 });

    // The broker refuses the next three orders as over its limit (a definite refusal each, counted by the guard).
    await platform.simulator.admin.setFaults('kis', { failNext: { count: 3, code: 'RESOURCE_EXHAUSTED', rpcs: ['PlaceOrder'] } });
    for (let i = 1; i <= 3; i += 1) {
      expect(await submitIntent(platform.workerClient, restingBuy(`console-fail-${i}`, ACCOUNTS.kisPaper))).toMatchObject({ accepted: false, failSafeCode: 'FS043' });
    }
    expect(await submitIntent(platform.workerClient, restingBuy('console-refused', ACCOUNTS.kisPaper))).toMatchObject({
      accepted: false,
      failSafeCode: 'FS046',
    });

    await guard.and(page.locator('[data-tripped="true"]')).waitFor({ timeout: 3_000 });
    expect(await guard.locator('[data-field="state"]').innerText()).toContain('차단됨');
    expect(await guard.locator('[data-field="failures"]').innerText()).toBe('3 / 3');
    await page.locator('[data-field="trip-banner"]').waitFor();
    await page.locator('tr[data-intent="console-refused"] [data-field="fail-safe-code"]').filter({ hasText: 'FS046' }).waitFor({ timeout: 3_000 });
    expect(await page.locator('tr[data-intent="console-fail-3"] [data-field="fail-safe-code"]').innerText()).toBe('FS043');
    await shot(page, '07-fail-safe-tripped.png');

    await guard.locator('[data-action="reset"]').click();
    await guard.and(page.locator('[data-tripped="false"]')).waitFor({ timeout: 3_000 });
    expect(await guard.locator('[data-field="failures"]').innerText()).toBe('0 / 3');
    expect(await page.locator('[data-field="trip-banner"]').isHidden()).toBe(true);
    await shot(page, '08-fail-safe-reset.png');
    expect(await submitIntent(platform.workerClient, restingBuy('console-after-reset', ACCOUNTS.kisPaper))).toMatchObject({ accepted: true, failSafeCode: '' });
    await page.locator('tr[data-intent="console-after-reset"] [data-field="status"]').filter({ hasText: 'ACCEPTED' }).waitFor({ timeout: 3_000 });
  });

  it('loads nothing from outside the services, and keeps account numbers out of the open metrics', async () => {
    expect(outside).toEqual([]);
    for (const app of [platform.gateway, platform.worker]) {
      const metrics = await (await fetch(`${app.httpUrl}/metrics`)).text();
      expect(metrics.length).toBeGreaterThan(0);
      for (const number of ACCOUNT_NUMBERS) expect({ app: app.name, leaks: metrics.includes(number) }).toEqual({ app: app.name, leaks: false });
    }
  });
});
