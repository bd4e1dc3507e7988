// Widgets shared by the console pages: the key form, bilingual labels, status dots, usage bars, the stream state.
import { h, setText } from './dom.js';
import { formatWindow, usageLevel } from './format.js';

/** Korean first, English beside it in a quieter tone: 계좌 추가 Add account. */
export function bilingual(ko, en) {
  return h('span', {}, ko, ' ', h('span', { class: 'en', lang: 'en' }, en));
}

/**
 * The form that asks for the API key once. `onSubmit(key)` gets the trimmed key; `message` explains why it is asked
 * again (a refused key).
 */
export function keyGate({ title, purpose, message, onSubmit }) {
  const input = h('input', { id: 'api-key', type: 'password', autocomplete: 'off', required: true, attrs: { spellcheck: 'false', 'aria-describedby': 'api-key-hint' } });
  const error = h('p', { class: 'error', id: 'api-key-error', attrs: { role: 'alert' } }, message ?? '');
  const form = h(
    'form',
    {
      class: 'panel',
      attrs: { 'aria-labelledby': 'gate-title' },
      on: {
        submit: (event) => {
          event.preventDefault();
          const key = input.value.trim();
          if (key === '') {
            setText(error, 'API 키를 입력하세요. Enter an API key.');
            input.focus();
            return;
          }
          onSubmit(key);
        },
      },
    },
    h('h1', { id: 'gate-title' }, title),
    h('p', { class: 'hint' }, purpose),
    h('div', { class: 'field' }, h('label', { htmlFor: 'api-key' }, bilingual('API 키', 'API key')), input,
      h('span', { class: 'hint', id: 'api-key-hint' }, bilingual('read 권한: 보기, admin 권한: 변경. 이 탭에만 보관됩니다.', 'read scope to view, admin to change. Kept in this tab only, sent as the X-API-Key header.'))),
    error,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, bilingual('연결', 'Connect'))),
  );
  const section = h('section', { class: 'gate' }, form);
  queueMicrotask(() => input.focus());
  return section;
}

/** A coloured dot; its meaning is always given by the text beside it. */
export function statusDot(level) {
  return h('span', { class: `dot ${level}`, attrs: { 'aria-hidden': 'true' } });
}

/** The state of the live stream, for the top bar: live, connecting, reconnecting. */
export function streamIndicator() {
  const dot = statusDot('idle');
  const label = h('span', {}, '연결 중 Connecting');
  const element = h('span', { class: 'stream', attrs: { role: 'status', 'aria-live': 'polite' }, data: { state: 'connecting' } }, dot, label);
  return {
    element,
    update(state) {
      const views = {
        open: ['ok', '실시간', 'Live'],
        connecting: ['idle', '연결 중', 'Connecting'],
        reconnecting: ['warn', '재연결 중', 'Reconnecting'],
        unauthorized: ['limit', '키 거부됨', 'Key refused'],
        closed: ['idle', '닫힘', 'Closed'],
      };
      const [level, ko, en] = views[state] ?? views.connecting;
      element.dataset.state = state;
      dot.className = `dot ${level}`;
      setText(label, `${ko} ${en}`);
    },
  };
}

/**
 * One rate-limit rule: its name and window, a bar of used/limit, the count, and the word by usage (정상 / 주의 /
 * 제한) in its colour, and the callers waiting for a permit.
 */
export function usageRule(rule) {
  const fill = h('div', { class: 'fill' });
  const bar = h('div', { class: 'bar', attrs: { role: 'meter', 'aria-valuemin': 0 } }, fill);
  const name = h('span', { class: 'rule-name' });
  const usage = h('span', { class: 'usage', data: { field: 'usage' } });
  const level = h('span', { class: 'level', data: { field: 'level' } });
  const waiters = h('span', { class: 'hint', data: { field: 'waiters' } });
  const element = h('div', { class: 'rule', data: { rule: rule.ruleId } }, name, bar, h('span', {}, usage, ' ', waiters), level);
  function update(next) {
    const view = usageLevel(next.ratio);
    const percent = Math.max(0, Math.min(100, Math.round(next.ratio * 100)));
    const label = `${next.ruleId}: ${next.used}/${next.limit} per ${formatWindow(next.windowMs)}`;
    setText(name, `${next.ruleId} · ${next.limit} / ${formatWindow(next.windowMs)}`);
    fill.style.width = `${percent}%`;
    fill.className = `fill ${view.level}`;
    bar.setAttribute('aria-valuemax', String(next.limit));
    bar.setAttribute('aria-valuenow', String(next.used));
    bar.setAttribute('aria-label', label);
    bar.setAttribute('aria-valuetext', `${next.used} / ${next.limit}, ${view.ko} ${view.en}`);
    setText(usage, `${next.used}/${next.limit}`);
    setText(waiters, next.waiters > 0 ? `대기 ${next.waiters} waiting` : '대기 0 waiting');
    setText(level, `${view.ko} ${view.en}`);
    level.className = `level ${view.level}`;
    element.dataset.level = view.level;
  }
  update(rule);
  return { element, update };
}

/** A message shown for a few seconds at the bottom of the page (role=status: announced, not focus-stealing). */
export function toast() {
  const element = h('div', { class: 'toast', hidden: true, attrs: { role: 'status' } });
  let timer;
  return {
    element,
    show(text) {
      setText(element, text);
      element.hidden = false;
      clearTimeout(timer);
      timer = setTimeout(() => {
        element.hidden = true;
      }, 5_000);
    },
  };
}
