// A small element builder: every value becomes text (textContent), never markup.

const PROPERTIES = new Set(['id', 'type', 'value', 'name', 'htmlFor', 'disabled', 'hidden', 'checked', 'required', 'autocomplete', 'placeholder', 'title']);

/**
 * h('button', { class: 'danger', on: { click }, attrs: { 'aria-label': '...' }, data: { broker: 'kis' } }, 'text', child)
 * Children: strings and numbers (as text), elements, arrays of them; null and undefined are skipped.
 */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null) continue;
    if (key === 'class') element.className = value;
    else if (key === 'text') element.textContent = String(value);
    else if (key === 'on') {
      for (const [event, handler] of Object.entries(value)) element.addEventListener(event, handler);
    } else if (key === 'attrs') {
      for (const [name, attr] of Object.entries(value)) {
        if (attr !== undefined && attr !== null) element.setAttribute(name, String(attr));
      }
    } else if (key === 'data') {
      for (const [name, attr] of Object.entries(value)) element.dataset[name] = String(attr);
    } else if (PROPERTIES.has(key)) element[key] = value;
    else element.setAttribute(key, String(value));
  }
  append(element, children);
  return element;
}

function append(parent, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces every child of `element`. */
export function replaceChildren(element, ...children) {
  element.replaceChildren();
  append(element, children);
}

/** Sets text only when it changed (keeps the DOM quiet for assistive technology). */
export function setText(element, text) {
  const value = String(text);
  if (element.textContent !== value) element.textContent = value;
}
