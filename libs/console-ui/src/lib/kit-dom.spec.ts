import { h, replaceChildren, setText } from '../../assets/dom.js';

/** Just enough of the DOM for the element builder: properties, attributes, dataset, listeners and children. */
class FakeNode {}
class FakeText extends FakeNode {
  constructor(public textContent: string) {
    super();
  }
}
class FakeElement extends FakeNode {
  readonly attributes = new Map<string, string>();
  readonly dataset: Record<string, string> = {};
  readonly listeners = new Map<string, unknown>();
  children: Array<FakeElement | FakeText> = [];
  [property: string]: unknown;
  constructor(readonly tagName: string) {
    super();
  }
  setAttribute(name: string, value: string): void {
    this.attributes.set(name, value);
  }
  addEventListener(event: string, handler: unknown): void {
    this.listeners.set(event, handler);
  }
  append(...nodes: Array<FakeElement | FakeText>): void {
    this.children.push(...nodes);
  }
  replaceChildren(): void {
    this.children = [];
  }
  get textContent(): string {
    return this.children.map((child) => child.textContent).join('');
  }
  set textContent(value: string) {
    this.children = [new FakeText(value)];
  }
}

describe('console kit: element builder', () => {
  const globals = globalThis as unknown as { document?: unknown; Node?: unknown };

  beforeAll(() => {
    globals.Node = FakeNode;
    globals.document = { createElement: (tag: string) => new FakeElement(tag), createTextNode: (text: string) => new FakeText(text) };
  });
  afterAll(() => {
    delete globals.document;
    delete globals.Node;
  });

  it('applies every kind of prop: class, properties (id, type, label targets), attributes, data, listeners and other attributes', () => {
    const onClick = () => undefined;
    const element = h('input', {
      class: 'wide',
      id: 'api-key',
      type: 'password',
      htmlFor: 'x',
      required: true,
      attrs: { 'aria-describedby': 'hint', skipped: undefined },
      data: { broker: 'kis' },
      on: { click: onClick },
      lang: 'en',
      title: undefined,
    }) as unknown as FakeElement;
    expect(element).toMatchObject({ tagName: 'input', className: 'wide', id: 'api-key', type: 'password', htmlFor: 'x', required: true });
    expect(Object.fromEntries(element.attributes)).toEqual({ 'aria-describedby': 'hint', lang: 'en' });
    expect(element.dataset).toEqual({ broker: 'kis' });
    expect(element.listeners.get('click')).toBe(onClick);
    expect('title' in element).toBe(false);
  });

  it('appends strings, numbers, elements and nested arrays as children, skipping empty ones, and sets text as text', () => {
    const child = h('b', { text: '<i>bold</i>' }) as unknown as FakeElement;
    const parent = h('p', {}, 'a', 1, null, undefined, false, [child, ['c']]) as unknown as FakeElement;
    expect(parent.children).toHaveLength(4);
    expect(parent.textContent).toBe('a1<i>bold</i>c');

    replaceChildren(parent as never, 'x', ['y']);
    expect(parent.textContent).toBe('xy');
    setText(parent as never, 'z');
    expect(parent.textContent).toBe('z');
    const kept = parent.children[0];
    setText(parent as never, 'z');
    expect(parent.children[0]).toBe(kept);
  });
});
