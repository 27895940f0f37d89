// Form fields with bound labels and per-field error messages (aria-describedby + aria-invalid),
// and the mapping of the API's error shape onto those fields.
import { ApiError } from './api';
import { h, replace, uid, type Child } from './dom';

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

export interface Field {
  name: string;
  control: Control;
  wrap: HTMLDivElement;
  error: HTMLParagraphElement;
}

export interface FieldOptions {
  hint?: Child;
  required?: boolean;
}

export class Form {
  readonly el: HTMLFormElement;
  readonly alert: HTMLDivElement;
  readonly fields = new Map<string, Field>();

  constructor(onSubmit: (form: Form) => Promise<void> | void, attrs: Record<string, string> = {}) {
    this.alert = h('div', { class: 'form-alert', role: 'alert', 'aria-live': 'assertive' });
    this.el = h('form', { novalidate: true, ...attrs }, this.alert);
    let busy = false;
    this.el.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      // One request at a time: a double click or a second Enter must not create two things.
      if (busy) return;
      busy = true;
      this.clearErrors();
      const buttons = this.el.querySelectorAll<HTMLButtonElement>('button[type=submit]');
      buttons.forEach((b) => (b.disabled = true));
      try {
        await onSubmit(this);
      } catch (err) {
        this.showError(err);
      } finally {
        busy = false;
        buttons.forEach((b) => (b.disabled = false));
      }
    });
  }

  /** Adds a labelled control; `name` is the API field name the server's errors refer to. */
  field(name: string, labelText: string, control: Control, opts: FieldOptions = {}): Field {
    const id = uid('f-' + name.replace(/[^a-z0-9]/gi, '-'));
    control.id = id;
    control.name = name;
    if (opts.required) {
      control.required = true;
      control.setAttribute('aria-required', 'true');
    }
    const errorId = id + '-err';
    const error = h('p', { class: 'field-error', id: errorId, 'aria-live': 'polite' });
    const described = [errorId];
    let hint: HTMLElement | null = null;
    if (opts.hint) {
      hint = h('div', { class: 'field-hint', id: id + '-hint' }, opts.hint);
      described.push(hint.id);
    }
    control.setAttribute('aria-describedby', described.join(' '));
    const wrap = h('div', { class: 'field' },
      h('label', { for: id }, labelText),
      control, hint, error);
    const f = { name, control, wrap, error };
    this.fields.set(name, f);
    return f;
  }

  value(name: string): string {
    return this.fields.get(name)?.control.value.trim() ?? '';
  }

  rawValue(name: string): string {
    return this.fields.get(name)?.control.value ?? '';
  }

  clearErrors(): void {
    replace(this.alert);
    for (const f of this.fields.values()) {
      replace(f.error);
      f.control.removeAttribute('aria-invalid');
      f.wrap.classList.remove('invalid');
    }
  }

  /** Shows a message under the named field; returns false when the form has no such field. */
  fieldError(name: string, message: string, focus = true): boolean {
    const f = this.findField(name);
    if (!f) return false;
    replace(f.error, message);
    f.control.setAttribute('aria-invalid', 'true');
    f.wrap.classList.add('invalid');
    if (focus) f.control.focus();
    return true;
  }

  private findField(name: string): Field | undefined {
    // The server may name a nested field ("info.address") or an array element ("x[2]").
    if (this.fields.has(name)) return this.fields.get(name);
    // A whole element ("phases[1]") whose parts are separate fields: its first part.
    for (const [k, f] of this.fields) if (k.startsWith(name + '.') || k.startsWith(name + '[')) return f;
    const last = name.split('.').pop() ?? name;
    return this.fields.get(last) ?? this.fields.get('info.' + last);
  }

  generalError(message: Child): void {
    replace(this.alert, h('p', null, message));
  }

  showError(err: unknown): void {
    if (!(err instanceof ApiError)) {
      this.generalError('Đã xảy ra lỗi không mong muốn. Vui lòng thử lại.');
      console.error(err);
      return;
    }
    let focused = false;
    const unplaced: string[] = [];
    const list = err.errors.length ? err.errors : err.field ? [{ field: err.field, message: err.message }] : [];
    for (const e of list) {
      if (this.fieldError(e.field, e.message, !focused)) focused = true;
      else unplaced.push(e.message); // the server's messages name the thing; its field path is a code
    }
    if (!list.length) unplaced.push(err.message);
    else if (err.errors.length && !unplaced.length && !focused) unplaced.push(err.message);
    if (unplaced.length === 1) this.generalError(unplaced[0]);
    else if (unplaced.length) replace(this.alert, h('p', null, err.message), h('ul', null, unplaced.map((m) => h('li', null, m))));
  }
}

export function input(type: string, attrs: Record<string, string | number | boolean> = {}): HTMLInputElement {
  return h('input', { type, ...attrs });
}

export function select(options: [string, string][], value = '', attrs: Record<string, string | boolean> = {}): HTMLSelectElement {
  const s = h('select', attrs, options.map(([v, text]) => h('option', { value: v }, text)));
  s.value = value;
  return s;
}

export function textarea(attrs: Record<string, string | number | boolean> = {}): HTMLTextAreaElement {
  return h('textarea', { rows: 3, ...attrs });
}

export function submit(text: string, cls = 'primary'): HTMLButtonElement {
  return h('button', { type: 'submit', class: cls }, text);
}
