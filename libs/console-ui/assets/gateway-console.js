// The gateway's console (/dashboard): brokers, their connection, accounts with balances, rate-limit usage, and
// accounts added at run time. Live from /dashboard/stream (Server-Sent Events over fetch, the key in a header).
import { callApi, createKeyStore } from './api-client.js';
import { h, replaceChildren, setText } from './dom.js';
import { openEventStream } from './event-stream.js';
import { accountTypeLabel, brokerName, connectionState, formatAge, formatClock, formatWon, maskAccountNumber } from './format.js';
import { bilingual, keyGate, statusDot, streamIndicator, toast, usageRule } from './widgets.js';

const STREAM_URL = '/dashboard/stream';
const keys = createKeyStore();
const root = document.getElementById('app');
const notice = toast();
document.body.append(notice.element);

let stream;
let snapshot;
const cards = new Map();

function askForKey(message) {
  stream?.close();
  stream = undefined;
  cards.clear();
  replaceChildren(
    root,
    keyGate({
      title: '브로커 및 계좌 관리 · Broker & Account Management',
      purpose: '이 콘솔은 계좌 정보를 보여 주므로 API 키가 필요합니다. This console shows account data: it needs an API key.',
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
  const liveTrading = h('span', { class: 'badge', data: { field: 'live-trading' } });
  const signOut = h('button', { class: 'secondary', type: 'button', on: { click: () => { keys.clear(); askForKey(); } } }, bilingual('키 지우기', 'Forget key'));
  const banner = h('div', { class: 'banner', hidden: true, attrs: { role: 'status' }, data: { field: 'offline-banner' } });
  const brokers = h('div', { id: 'brokers' });
  cards.clear();
  replaceChildren(
    root,
    h('header', { class: 'topbar' },
      h('h1', {}, bilingual('브로커 및 계좌 관리', 'Broker & Account Management')),
      h('div', { class: 'meta' }, indicator.element, h('span', {}, bilingual('갱신', 'Updated'), ' ', updated), liveTrading, signOut)),
    banner,
    brokers,
    addAccountDialog(),
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
      snapshot = data;
      setText(updated, formatClock(data.generatedAt));
      renderLiveTrading(liveTrading, data.liveTradingEnabled);
      renderBanner(banner, data.brokers);
      renderBrokers(brokers, data);
    },
  });
}

function renderLiveTrading(element, enabled) {
  setText(element, enabled ? '실거래 허용 · Live trading enabled' : '실거래 비활성 · Live trading disabled');
  element.className = `badge ${enabled ? 'warn' : 'idle'}`;
}

/** Offline mode: a broker served from the candle cache, or by the in-process mock, is named here. */
function renderBanner(banner, brokers) {
  const offline = brokers.filter((broker) => broker.offline);
  const mock = brokers.filter((broker) => broker.mock);
  banner.hidden = offline.length === 0 && mock.length === 0;
  if (banner.hidden) return;
  const parts = [];
  if (offline.length > 0) parts.push(`캐시 데이터 제공 중 (served from cache): ${offline.map(label).join(', ')}`);
  if (mock.length > 0) parts.push(`모의 브로커 (mock broker): ${mock.map(label).join(', ')}`);
  replaceChildren(banner, h('strong', {}, '오프라인 모드 · Offline mode — '), parts.join(' · '));
  banner.className = `banner${offline.length > 0 ? ' limit' : ''}`;
}

function label(broker) {
  const name = brokerName(broker.type);
  return `${name.ko} (${broker.id})`;
}

function renderBrokers(container, data) {
  const seen = new Set();
  for (const broker of data.brokers) {
    seen.add(broker.id);
    let card = cards.get(broker.id);
    if (card === undefined) {
      card = brokerCard(broker);
      cards.set(broker.id, card);
      container.append(card.element);
    }
    card.update(broker, data);
  }
  for (const [id, card] of cards) {
    if (!seen.has(id)) {
      card.element.remove();
      cards.delete(id);
    }
  }
}

function brokerCard(initial) {
  const name = brokerName(initial.type);
  const headingId = `broker-${initial.id}-title`;
  const dot = statusDot('idle');
  const connection = h('span', { class: 'connection', data: { field: 'connection' } });
  const checked = h('span', { data: { field: 'last-check' } });
  const flags = h('span', { data: { field: 'flags' } });
  const addButton = h(
    'button',
    { type: 'button', class: 'secondary', data: { action: 'add-account' }, on: { click: () => openAddAccount(initial.id) } },
    '+ 계좌 추가 ',
    h('span', { class: 'en', lang: 'en' }, 'Add account'),
    h('span', { class: 'sr-only' }, ` to ${name.en}`),
  );
  const accounts = h('tbody');
  const rules = h('div', { class: 'rules' });
  let accountsSignature = '';
  const ruleViews = new Map();
  const element = h(
    'section',
    { class: 'panel broker', attrs: { 'aria-labelledby': headingId }, data: { broker: initial.id } },
    h('div', { class: 'panel-head' },
      h('h2', { id: headingId }, `${name.en} (${name.ko})`, h('span', { class: 'en' }, ` · ${initial.id}`)),
      addButton),
    h('div', { class: 'panel-head' },
      h('div', { class: 'status-line' },
        h('span', {}, dot, connection),
        h('span', {}, bilingual('마지막 상태 확인', 'Last health check'), ' ', checked),
        flags)),
    h('h3', {}, bilingual('계좌', 'Accounts')),
    h('table', { data: { field: 'accounts' } },
      h('caption', { class: 'sr-only' }, `${name.en} accounts`),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, bilingual('계좌', 'Account')),
        h('th', { scope: 'col' }, bilingual('이름', 'Name')),
        h('th', { scope: 'col' }, bilingual('유형', 'Type')),
        h('th', { scope: 'col', class: 'num' }, bilingual('잔고', 'Balance')),
        h('th', { scope: 'col', class: 'num' }, bilingual('매수가능', 'Buying power')),
        h('th', { scope: 'col' }, bilingual('상태', 'State')),
        h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Actions')))),
      accounts),
    h('h3', {}, bilingual('요청 한도', 'Rate limit')),
    rules,
  );

  function update(broker, data) {
    const state = connectionState(broker.status);
    dot.className = `dot ${state.level}`;
    connection.className = `connection ${state.level}`;
    connection.dataset.status = broker.status;
    setText(connection, `${state.ko} ${state.en}`);
    setText(checked, broker.lastHealthCheckAt ? `${formatClock(broker.lastHealthCheckAt)} (${formatAge(broker.lastHealthCheckAt, Date.parse(data.generatedAt)).en})` : '—');
    setText(flags, [broker.required ? '필수 required' : '', broker.mock ? '모의 mock' : '', broker.offline ? '오프라인 offline' : '', broker.transport === 'rest' ? 'REST' : ''].filter(Boolean).join(' · '));
    const admin = data.viewer.scopes.includes('admin');
    addButton.hidden = !admin || !broker.acceptsRuntimeAccounts;

    const signature = JSON.stringify([admin, broker.accounts]);
    if (signature !== accountsSignature) {
      accountsSignature = signature;
      replaceChildren(accounts, broker.accounts.length === 0
        ? h('tr', {}, h('td', { class: 'empty', attrs: { colspan: 7 } }, '계좌 없음 · No accounts'))
        : broker.accounts.map((account) => accountRow(broker, account, admin, data.liveTradingEnabled)));
    }

    const seen = new Set();
    for (const rule of broker.rateLimit?.rules ?? []) {
      seen.add(rule.ruleId);
      const view = ruleViews.get(rule.ruleId);
      if (view === undefined) {
        const created = usageRule(rule);
        ruleViews.set(rule.ruleId, created);
        rules.append(created.element);
      } else {
        view.update(rule);
      }
    }
    for (const [id, view] of ruleViews) {
      if (!seen.has(id)) {
        view.element.remove();
        ruleViews.delete(id);
      }
    }
    if (broker.rateLimit === null && rules.childElementCount === 0) rules.append(h('p', { class: 'empty' }, '한도 없음 (모의 브로커) · No limiter (mock broker)'));
  }
  return { element, update };
}

function accountRow(broker, account, admin, liveTradingEnabled) {
  const type = accountTypeLabel(account.type);
  const balance = account.balance;
  const realWithoutLive = account.type === 'REAL' && !liveTradingEnabled;
  const deactivate = admin && account.source === 'runtime'
    ? h('button', { type: 'button', class: 'danger', data: { action: 'deactivate' }, on: { click: () => deactivateAccount(broker.id, account) } },
      '비활성화', h('span', { class: 'sr-only' }, ` Deactivate account ending ${account.id.slice(-4)}`))
    : null;
  return h('tr', { data: { account: maskAccountNumber(account.id), source: account.source } },
    h('td', { class: 'mono', data: { field: 'number' } }, maskAccountNumber(account.id)),
    h('td', {}, account.name, account.isDefault ? h('span', { class: 'badge', data: { field: 'default' } }, ' 기본 Default') : null),
    h('td', { data: { field: 'type' } }, `${type.ko} `, h('span', { class: 'en', lang: 'en' }, type.en),
      realWithoutLive ? h('div', { class: 'notice' }, '실거래 비활성: 주문 거부됨 · Live trading disabled: orders refused') : null),
    h('td', { class: 'num', data: { field: 'balance' } }, balance ? formatWon(balance.totalEquity) : balanceMissing(account)),
    h('td', { class: 'num', data: { field: 'buying-power' } }, balance ? formatWon(balance.buyingPower) : '—'),
    h('td', {}, h('span', { class: 'badge ok' }, '활성 Active'), account.source === 'runtime' ? h('span', { class: 'hint' }, ' 추가됨 added') : null),
    h('td', {}, deactivate),
  );
}

function balanceMissing(account) {
  if (account.balanceError) return h('span', { class: 'hint', title: account.balanceError.message }, `— (${account.balanceError.code})`);
  return h('span', { class: 'hint' }, '조회 중 loading');
}

async function deactivateAccount(brokerId, account) {
  if (!window.confirm(`계좌 ${maskAccountNumber(account.id)} 비활성화? Deactivate this account? New orders on it will be refused.`)) return;
  try {
    await callApi(`/api/v1/brokers/${encodeURIComponent(brokerId)}/accounts/${encodeURIComponent(account.id)}`, { key: keys.get(), method: 'DELETE' });
    notice.show(`비활성화됨 Deactivated: ${maskAccountNumber(account.id)}`);
  } catch (error) {
    notice.show(`실패 Failed: ${error.message}`);
  }
}

function addAccountDialog() {
  const broker = h('select', { id: 'add-broker', required: true });
  const number = h('input', { id: 'add-number', required: true, autocomplete: 'off', attrs: { inputmode: 'text', maxlength: 32, pattern: '[0-9A-Za-z]+(-[0-9A-Za-z]+)*', 'aria-describedby': 'add-number-hint' } });
  const name = h('input', { id: 'add-name', required: true, autocomplete: 'off', attrs: { maxlength: 40 } });
  const paper = h('input', { id: 'add-type-paper', type: 'radio', name: 'account-type', value: 'PAPER', checked: true });
  const real = h('input', { id: 'add-type-real', type: 'radio', name: 'account-type', value: 'REAL' });
  const warning = h('p', { class: 'notice', hidden: true, attrs: { role: 'status' }, data: { field: 'live-warning' } },
    '실거래 비활성 (LIVE_TRADING_ENABLED=false): 이 계좌의 주문은 거부됩니다. Live trading is disabled: orders on this REAL account will be refused.');
  const error = h('p', { class: 'error', attrs: { role: 'alert' }, data: { field: 'add-error' } });
  const submit = h('button', { type: 'submit' }, bilingual('추가', 'Add'));
  const showWarning = () => {
    warning.hidden = !(real.checked && snapshot && !snapshot.liveTradingEnabled);
  };
  paper.addEventListener('change', showWarning);
  real.addEventListener('change', showWarning);
  const dialog = h('dialog', { id: 'add-account', attrs: { 'aria-labelledby': 'add-title' } });
  const form = h('form', {
    on: {
      submit: async (event) => {
        event.preventDefault();
        setText(error, '');
        submit.disabled = true;
        try {
          const added = await callApi(`/api/v1/brokers/${encodeURIComponent(broker.value)}/accounts`, {
            key: keys.get(),
            method: 'POST',
            body: { accountId: number.value.trim(), name: name.value.trim(), type: real.checked ? 'REAL' : 'PAPER' },
          });
          dialog.close();
          notice.show(`계좌 추가됨 Account added: ${maskAccountNumber(added.id)} (${added.name})`);
        } catch (failure) {
          setText(error, `${failure.code ?? ''} ${failure.message}`.trim());
        } finally {
          submit.disabled = false;
        }
      },
    },
  },
  h('h2', { id: 'add-title' }, bilingual('계좌 추가', 'Add account')),
  h('div', { class: 'field' }, h('label', { htmlFor: 'add-broker' }, bilingual('브로커', 'Broker')), broker),
  h('div', { class: 'field' }, h('label', { htmlFor: 'add-number' }, bilingual('계좌번호', 'Account number')), number,
    h('span', { class: 'hint', id: 'add-number-hint' }, '예 e.g. 50012345-02')),
  h('div', { class: 'field' }, h('label', { htmlFor: 'add-name' }, bilingual('이름', 'Name')), name),
  h('fieldset', { class: 'field' }, h('legend', {}, bilingual('유형', 'Type')),
    h('label', {}, paper, ' 모의투자 ', h('span', { class: 'en', lang: 'en' }, 'Paper')),
    h('label', {}, real, ' 실전투자 ', h('span', { class: 'en', lang: 'en' }, 'Real'))),
  warning,
  error,
  h('div', { class: 'actions' },
    h('button', { type: 'button', class: 'secondary', on: { click: () => dialog.close() } }, bilingual('취소', 'Cancel')),
    submit));
  dialog.append(form);
  dialog.prepareFor = (brokerId) => {
    replaceChildren(broker, (snapshot?.brokers ?? []).filter((entry) => entry.acceptsRuntimeAccounts).map((entry) => {
      const names = brokerName(entry.type);
      return h('option', { value: entry.id }, `${names.ko} ${names.en} (${entry.id})`);
    }));
    broker.value = brokerId;
    number.value = '';
    name.value = '';
    paper.checked = true;
    setText(error, '');
    showWarning();
  };
  return dialog;
}

function openAddAccount(brokerId) {
  const dialog = document.getElementById('add-account');
  dialog.prepareFor(brokerId);
  dialog.showModal();
  document.getElementById('add-number').focus();
}

if (keys.get()) connect();
else askForKey();
