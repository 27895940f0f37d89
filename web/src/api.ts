// JSON API client: cookie session, X-CSRF-Token on every state-changing request, and the
// error shape {"error": {"code", "message", "field", "errors"}} turned into ApiError.

export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly errors: FieldError[] = [],
    /** The whole error object (e.g. `current` of a version conflict). */
    readonly detail: Record<string, any> = {},
  ) {
    super(message);
  }
}

let csrfToken = '';
let onUnauthorized: (err: ApiError) => void = () => {};

export function setCsrf(token: string): void {
  csrfToken = token;
}

/** Called when a request other than login gets 401 or 403 password_change_required. */
export function setUnauthorizedHandler(fn: (err: ApiError) => void): void {
  onUnauthorized = fn;
}

const BASE = '/api/v1';

export async function request<T>(method: string, path: string, body?: unknown, rawBody?: string): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  let payload: string | undefined;
  if (rawBody !== undefined) payload = rawBody;
  else if (body !== undefined) payload = JSON.stringify(body);
  if (payload !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let res: Response;
  try {
    res = await fetch(BASE + path, { method, headers, body: payload, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network', 'Không kết nối được máy chủ. Vui lòng kiểm tra mạng và thử lại.');
  }
  if (res.status === 204) return undefined as T;
  let data: any = null;
  const text = await res.text();
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const e = data && typeof data === 'object' ? data.error : null;
    const err = e && typeof e.message === 'string'
      ? new ApiError(res.status, String(e.code ?? 'error'), e.message, e.field ?? undefined,
          Array.isArray(e.errors) ? e.errors : [], e)
      : new ApiError(res.status, 'http_' + res.status, fallbackMessage(res.status));
    const sessionLost = res.status === 401 && !path.startsWith('/auth/login') && path !== '/me';
    if (sessionLost || err.code === 'password_change_required' || err.code === 'totp_enrolment_required') onUnauthorized(err);
    throw err;
  }
  return data as T;
}

function fallbackMessage(status: number): string {
  if (status === 401) return 'Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.';
  if (status === 403) return 'Bạn không có quyền thực hiện thao tác này.';
  if (status === 404) return 'Không tìm thấy dữ liệu.';
  if (status === 413) return 'Dữ liệu gửi lên quá lớn.';
  if (status === 429) return 'Thao tác quá nhiều lần. Vui lòng thử lại sau.';
  if (status >= 500) return 'Máy chủ gặp lỗi. Vui lòng thử lại sau.';
  return 'Yêu cầu không hợp lệ.';
}

export const get = <T>(path: string) => request<T>('GET', path);
export const post = <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {});
export const patch = <T>(path: string, body: unknown) => request<T>('PATCH', path, body);
export const put = <T>(path: string, body: unknown) => request<T>('PUT', path, body);
export const del = <T>(path: string) => request<T>('DELETE', path);

function errorFrom(status: number, text: string): ApiError {
  let e: any = null;
  try { e = JSON.parse(text)?.error; } catch { /* not JSON */ }
  return e && typeof e.message === 'string'
    ? new ApiError(status, String(e.code ?? 'error'), e.message, e.field ?? undefined, Array.isArray(e.errors) ? e.errors : [], e)
    : new ApiError(status, 'http_' + status, fallbackMessage(status));
}

/** multipart/form-data upload with progress (fetch has no upload progress). */
export function upload<T>(path: string, form: FormData, onProgress: (done: number, total: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open('POST', BASE + path);
    x.setRequestHeader('Accept', 'application/json');
    if (csrfToken) x.setRequestHeader('X-CSRF-Token', csrfToken);
    x.upload.onprogress = (ev) => onProgress(ev.loaded, ev.lengthComputable ? ev.total : 0);
    x.onerror = () => reject(new ApiError(0, 'network', 'Không kết nối được máy chủ. Vui lòng kiểm tra mạng và thử lại.'));
    x.onload = () => {
      if (x.status >= 200 && x.status < 300) {
        try { resolve((x.responseText ? JSON.parse(x.responseText) : undefined) as T); } catch { resolve(undefined as T); }
        return;
      }
      const err = errorFrom(x.status, x.responseText);
      if (x.status === 401) onUnauthorized(err);
      reject(err);
    };
    x.send(form);
  });
}

/** A POST whose answer is a file: the bytes and the server's file name. */
export async function postForFile(path: string, body: unknown): Promise<{ blob: Blob; name: string; headers: Headers }> {
  let res: Response;
  try {
    res = await fetch(BASE + path, { method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken }, body: JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'network', 'Không kết nối được máy chủ. Vui lòng kiểm tra mạng và thử lại.');
  }
  if (!res.ok) {
    const err = errorFrom(res.status, await res.text());
    if (res.status === 401) onUnauthorized(err);
    throw err;
  }
  const cd = res.headers.get('Content-Disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  const plain = /filename="([^"]+)"/i.exec(cd);
  let name = 'tai-khoan';
  try { name = star ? decodeURIComponent(star[1]) : plain ? plain[1] : name; } catch { /* keep the default */ }
  return { blob: await res.blob(), name, headers: res.headers };
}

/** A POST whose body is a file's bytes (the Excel import): the JSON answer. */
export async function postBytes<T>(path: string, body: Blob, contentType: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(BASE + path, { method: 'POST', credentials: 'same-origin', body,
      headers: { Accept: 'application/json', 'Content-Type': contentType, 'X-CSRF-Token': csrfToken } });
  } catch {
    throw new ApiError(0, 'network', 'Không kết nối được máy chủ. Vui lòng kiểm tra mạng và thử lại.');
  }
  const text = await res.text();
  if (!res.ok) {
    const err = errorFrom(res.status, text);
    if (res.status === 401) onUnauthorized(err);
    throw err;
  }
  return JSON.parse(text) as T;
}
