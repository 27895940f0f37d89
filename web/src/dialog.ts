// Modal dialogs on the native <dialog> element: focus is trapped and Esc closes it; focus goes
// back to the element that opened it.
import { h, type Child } from './dom';

export interface Dialog {
  el: HTMLDialogElement;
  body: HTMLDivElement;
  close: () => void;
}

/** Focus back to the opener; when the page was re-rendered meanwhile, to the button that
 * replaced it (same accessible name and text), else to the main content. */
function returnFocus(opener: HTMLElement | null): void {
  if (opener && opener.isConnected) { opener.focus(); return; }
  const main = document.getElementById('main');
  if (opener && main) {
    const name = opener.getAttribute('aria-label');
    const twin = [...main.querySelectorAll<HTMLElement>('button, a')].find((el) =>
      el.tagName === opener.tagName && el.getAttribute('aria-label') === name && el.textContent === opener.textContent);
    if (twin) { twin.focus(); return; }
  }
  main?.focus();
}

export function openDialog(title: string, content: Child, onClose?: () => void): Dialog {
  const opener = document.activeElement as HTMLElement | null;
  const titleId = 'dlg-title-' + Math.random().toString(36).slice(2);
  const body = h('div', { class: 'dialog-body' }, content);
  const closeBtn = h('button', { type: 'button', class: 'dialog-x', 'aria-label': 'Đóng' }, '×');
  const el = h('dialog', { 'aria-labelledby': titleId },
    h('div', { class: 'dialog-head' }, h('h2', { id: titleId }, title), closeBtn), body);
  const close = () => el.close();
  closeBtn.addEventListener('click', close);
  el.addEventListener('close', () => {
    el.remove();
    onClose?.();
    returnFocus(opener);
  });
  document.body.appendChild(el);
  el.showModal();
  const first = body.querySelector<HTMLElement>('input, select, textarea, button');
  first?.focus();
  return { el, body, close };
}

/** A yes/no question; resolves true when confirmed. */
export function confirmDialog(title: string, message: Child, confirmText: string, danger = false): Promise<boolean> {
  return new Promise((resolve) => {
    let answer = false;
    const yes = h('button', { type: 'button', class: danger ? 'danger' : 'primary' }, confirmText);
    const no = h('button', { type: 'button' }, 'Huỷ');
    const d = openDialog(title, [h('p', null, message), h('div', { class: 'actions' }, yes, no)], () => resolve(answer));
    yes.addEventListener('click', () => { answer = true; d.close(); });
    no.addEventListener('click', () => d.close());
    no.focus();
  });
}

/** Shows a one-time secret once, with a copy button and a warning; it leaves the DOM on close. */
export function secretDialog(title: string, intro: Child, secret: string): Promise<void> {
  return new Promise((resolve) => {
    const field = h('input', { type: 'text', readonly: true, class: 'secret', value: secret,
      'aria-label': 'Mật khẩu dùng một lần', spellcheck: 'false', autocomplete: 'off' });
    const status = h('p', { class: 'copy-status', role: 'status', 'aria-live': 'polite' });
    const copy = h('button', { type: 'button' }, 'Sao chép');
    copy.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(secret);
      } catch {
        field.select();
        document.execCommand('copy');
      }
      status.textContent = 'Đã sao chép vào bộ nhớ tạm.';
    });
    const done = h('button', { type: 'button', class: 'primary' }, 'Tôi đã ghi lại, đóng');
    const d = openDialog(title, [
      h('p', null, intro),
      h('div', { class: 'secret-row' }, field, copy),
      status,
      h('p', { class: 'warning' }, 'Mật khẩu này chỉ hiển thị MỘT LẦN. Hãy ghi lại và chuyển cho người dùng một cách an toàn; người dùng phải đổi mật khẩu ở lần đăng nhập đầu tiên.'),
      h('div', { class: 'actions' }, done),
    ], () => { field.value = ''; resolve(); });
    done.addEventListener('click', () => d.close());
    field.focus();
    field.select();
  });
}

/** Runs an action from a button; on failure shows the server's message in a dialog. */
export async function attempt(fn: () => Promise<unknown>): Promise<boolean> {
  try {
    await fn();
    return true;
  } catch (err) {
    const ok = h('button', { type: 'button', class: 'primary' }, 'Đóng');
    const d = openDialog('Không thực hiện được', [h('p', { role: 'alert' }, err instanceof Error ? err.message : 'Đã xảy ra lỗi.'),
      h('div', { class: 'actions' }, ok)]);
    ok.addEventListener('click', () => d.close());
    if (!(err instanceof Error)) console.error(err);
    return false;
  }
}
