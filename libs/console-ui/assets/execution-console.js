// The execution worker's console (/executions): recent intents and their orders, live from the execution reports;
// the consecutive-failure fail-safe of every broker account, with its reset; orders awaiting reconciliation.
import { callApi, createKeyStore } from './api-client.js';
import { h, replaceChildren, setText } from './dom.js';
import { openEventStream } from './event-stream.js';
import { accountTypeLabel, brokerName, formatAge, formatClock, formatQuantity, formatWon, maskAccountNumber } from './format.js';
import { bilingual, keyGate, streamIndicator, toast } from './widgets.js';

const STREAM_URL = '/executions/stream';
const keys = createKeyStore();
const root = document.getElementById('app');
const notice = toast();
document.body.append(notice.element);
let stream;

function askForKey(message) {
  stream?.close();
  stream = undefined;
  replaceChildren(
    root,
    keyGate({
      title: '주문 실행 · Executions',
      purpose: '실행 워커의 API 키가 필요합니다 (read: 보기, admin: 초기화). This page needs an API key of the execution worker (read to view, admin to reset).',
      message,
      onSubmit: (key) => {
        keys.set(key);
        connect();
      },
    }),
  );
}

function connect() {
  const indicator = streamIndicator();
  const updated = h('span', { data: { field: 'updated' } }, '—');
  const worker = h('span', { class: 'hint', data: { field: 'worker' } });
  const liveTrading = h('span', { class: 'badge', data: { field: 'live-trading' } });
  const tripBanner = h('div', { class: 'banner limit', hidden: true, attrs: { role: 'alert' }, data: { field: 'trip-banner' } });
  const failSafe = h('tbody');
  const unknown = h('tbody');
  const intents = h('tbody');
  replaceChildren(
    root,
    h('header', { class: 'topbar' },
      h('h1', {}, bilingual('주문 실행', 'Executions')),
      h('div', { class: 'meta' }, indicator.element, h('span', {}, bilingual('갱신', 'Updated'), ' ', updated), worker, liveTrading,
        h('button', { class: 'secondary', type: 'button', on: { click: () => { keys.clear(); askForKey(); } } }, bilingual('키 지우기', 'Forget key')))),
    tripBanner,
    h('section', { class: 'panel', attrs: { 'aria-labelledby': 'failsafe-title' }, data: { section: 'fail-safe' } },
      h('h2', { id: 'failsafe-title' }, bilingual('연속 실패 차단', 'Fail-safe')),
      h('p', { class: 'hint' }, '브로커 계좌별 연속 실패 횟수. 한도에 닿으면 초기화할 때까지 주문이 거부됩니다 (FS046). Consecutive broker failures per account: at the limit, orders are refused (FS046) until an admin resets it.'),
      h('table', {},
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, bilingual('브로커', 'Broker')),
          h('th', { scope: 'col' }, bilingual('계좌', 'Account')),
          h('th', { scope: 'col' }, bilingual('상태', 'State')),
          h('th', { scope: 'col', class: 'num' }, bilingual('연속 실패', 'Failures')),
          h('th', { scope: 'col' }, bilingual('마지막 실패', 'Last failure')),
          h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Actions')))),
        failSafe)),
    h('section', { class: 'panel', attrs: { 'aria-labelledby': 'unknown-title' }, data: { section: 'unknown' } },
      h('h2', { id: 'unknown-title' }, bilingual('확인 대기 주문 (UNKNOWN)', 'Orders awaiting reconciliation')),
      h('table', {},
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, bilingual('브로커', 'Broker')),
          h('th', { scope: 'col', class: 'num' }, bilingual('UNKNOWN 주문', 'UNKNOWN orders')),
          h('th', { scope: 'col' }, bilingual('가장 오래된 것', 'Oldest sent')))),
        unknown)),
    h('section', { class: 'panel', attrs: { 'aria-labelledby': 'intents-title' }, data: { section: 'intents' } },
      h('h2', { id: 'intents-title' }, bilingual('최근 인텐트와 주문', 'Recent intents and orders')),
      h('table', {},
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, bilingual('시각', 'Time')),
          h('th', { scope: 'col' }, 'Intent'),
          h('th', { scope: 'col' }, bilingual('전략', 'Strategy')),
          h('th', { scope: 'col' }, bilingual('브로커 / 계좌', 'Broker / account')),
          h('th', { scope: 'col' }, bilingual('종목', 'Symbol')),
          h('th', { scope: 'col' }, bilingual('주문', 'Order')),
          h('th', { scope: 'col' }, bilingual('상태', 'Status')),
          h('th', { scope: 'col', class: 'num' }, bilingual('체결', 'Fill')),
          h('th', { scope: 'col' }, bilingual('차단 코드', 'Fail-safe code')),
          h('th', { scope: 'col' }, bilingual('내용', 'Message')))),
        intents)),
  );
  stream?.close();
  stream = openEventStream({
    url: STREAM_URL,
    headers: () => ({ 'x-api-key': keys.get() ?? '' }),
    onState: (state, detail) => {
      indicator.update(state);
      if (state === 'unauthorized') {
        keys.clear();
        askForKey(`키가 거부되었습니다. The key was refused: ${detail?.message ?? detail?.status}`);
      }
    },
    onEvent: (event, data) => {
      if (event !== 'snapshot') return;
      setText(updated, formatClock(data.generatedAt));
      setText(worker, `worker ${data.worker.instanceId}`);
      setText(liveTrading, data.worker.liveTradingEnabled ? '실거래 허용 · Live trading enabled' : '실거래 비활성 · Live trading disabled');
      liveTrading.className = `badge ${data.worker.liveTradingEnabled ? 'warn' : 'idle'}`;
      renderTripBanner(tripBanner, data.failSafe);
      renderFailSafe(failSafe, data);
      renderUnknown(unknown, data);
      renderIntents(intents, data.intents);
    },
  });
}

function renderTripBanner(banner, guards) {
  const tripped = guards.filter((guard) => guard.tripped);
  banner.hidden = tripped.length === 0;
  if (tripped.length > 0) {
    setText(banner, `차단됨 · Fail-safe tripped: ${tripped.map((guard) => `${brokerName(guard.brokerType).ko} ${maskAccountNumber(guard.accountId)}`).join(', ')} — 주문 거부 중 (FS046) orders refused until reset`);
  }
}

let failSafeSignature = '';
function renderFailSafe(body, data) {
  const admin = data.viewer.scopes.includes('admin');
  const signature = JSON.stringify([admin, data.failSafe]);
  if (signature === failSafeSignature) return;
  // Keeps keyboard focus on the reset button of the same row across a re-render.
  const focused = document.activeElement?.dataset?.guard;
  failSafeSignature = signature;
  replaceChildren(body, data.failSafe.length === 0
    ? h('tr', {}, h('td', { class: 'empty', attrs: { colspan: 6 } }, '계좌 없음 · No accounts'))
    : data.failSafe.map((guard) => {
      const names = brokerName(guard.brokerType);
      const type = accountTypeLabel(guard.accountType);
      const id = `${guard.brokerId}/${guard.accountId}`;
      const reset = admin
        ? h('button', {
          type: 'button',
          class: guard.tripped ? 'danger' : 'secondary',
          disabled: !guard.tripped && guard.consecutiveFailures === 0,
          data: { action: 'reset', guard: id },
          on: { click: (event) => resetGuard(event.currentTarget, guard) },
        }, '초기화 ', h('span', { class: 'en', lang: 'en' }, 'Reset'), h('span', { class: 'sr-only' }, ` ${names.en} account ending ${guard.accountId.slice(-4)}`))
        : null;
      return h('tr', { data: { guard: id, tripped: String(guard.tripped) } },
        h('td', {}, `${names.ko} `, h('span', { class: 'en', lang: 'en' }, `${names.en} · ${guard.brokerId}`)),
        h('td', { class: 'mono' }, maskAccountNumber(guard.accountId), ' ', h('span', { class: 'hint' }, `${guard.accountName} · ${type.ko}`)),
        h('td', { data: { field: 'state' } }, guard.tripped
          ? h('span', { class: 'level limit' }, '차단됨 Tripped')
          : h('span', { class: 'level ok' }, '정상 Normal')),
        h('td', { class: 'num', data: { field: 'failures' } }, `${guard.consecutiveFailures} / ${data.worker.maxConsecutiveFailures}`),
        h('td', { class: 'hint' }, guard.lastFailure ?? '—'),
        h('td', {}, reset));
    }));
  if (focused !== undefined) body.querySelector(`button[data-guard="${CSS.escape(focused)}"]`)?.focus();
}

async function resetGuard(button, guard) {
  button.disabled = true;
  try {
    const answer = await callApi('/admin/fail-safe/reset', {
      key: keys.get(),
      method: 'POST',
      body: { brokerId: guard.brokerId, accountId: guard.accountId, reason: 'reset from the execution console' },
    });
    notice.show(`초기화됨 Reset: ${guard.brokerId} ${maskAccountNumber(guard.accountId)} (${answer.resetAccounts.length})`);
  } catch (error) {
    notice.show(`실패 Failed: ${error.message}`);
    button.disabled = false;
  }
}

function renderUnknown(body, data) {
  const now = Date.parse(data.generatedAt);
  replaceChildren(body, data.unknownOrders.length === 0
    ? h('tr', {}, h('td', { class: 'empty', attrs: { colspan: 3 } }, '없음 · None'))
    : data.unknownOrders.map((entry) => h('tr', { data: { unknown: entry.brokerId } },
      h('td', {}, entry.brokerId),
      h('td', { class: 'num', data: { field: 'count' } }, String(entry.count)),
      h('td', {}, entry.oldestSubmittedAt ? `${formatClock(entry.oldestSubmittedAt)} (${formatAge(entry.oldestSubmittedAt, now).en})` : '—'))));
}

function renderIntents(body, intents) {
  replaceChildren(body, intents.length === 0
    ? h('tr', {}, h('td', { class: 'empty', attrs: { colspan: 10 } }, '아직 없음 · None yet'))
    : intents.map((intent) => h('tr', { data: { intent: intent.intentId, status: intent.status } },
      h('td', {}, formatClock(intent.createdAt)),
      h('td', { class: 'mono' }, intent.intentId),
      h('td', {}, intent.strategyId),
      h('td', {}, intent.brokerId, ' ', h('span', { class: 'mono' }, maskAccountNumber(intent.accountId))),
      h('td', { class: 'mono' }, intent.symbol),
      h('td', {}, `${intent.side} ${intent.orderType} ${formatQuantity(intent.quantity)}${intent.limitPrice ? ` @ ${formatWon(intent.limitPrice)}` : ''}${intent.dryRun ? ' (dry run)' : ''}`),
      h('td', { class: `status ${intent.status}`, data: { field: 'status' } }, intent.status),
      h('td', { class: 'num' }, intent.filledQuantity > 0 ? `${formatQuantity(intent.filledQuantity)}${intent.avgFillPrice ? ` @ ${formatWon(intent.avgFillPrice)}` : ''}` : '—'),
      h('td', { data: { field: 'fail-safe-code' } }, intent.failSafeCode ?? ''),
      h('td', { class: 'hint' }, intent.message ?? ''))));
}

if (keys.get()) connect();
else askForKey();
