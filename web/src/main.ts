import './style.css';
import { ApiError, get, post, setCsrf, setUnauthorizedHandler } from './api';
import { h, replace } from './dom';
import { label, ROLE_LABELS } from './format';
import { currentPath, navigate, onRoute, takeScroll } from './router';
import type { Me, Role } from './types';
import { renderLogin } from './views/login';
import { renderPasswordChange } from './views/password';
import { renderHome } from './views/home';
import { renderAccount, renderTotpRequired } from './views/totp';
import type { Inbox } from './rtypes';

const root = document.getElementById('app') as HTMLDivElement;
let me: Me | null = null;
let meLoaded = false;
let lastPath: string | null = null;

export interface Ctx {
  me: Me;
  main: HTMLElement;
  isAdmin: boolean;
}

interface Page {
  title: string;
  /** The one role allowed to open the page (the API would refuse the others anyway). */
  only?: Role;
  render: (ctx: Ctx, param: string) => Promise<void> | void;
}

// Screens other than the frame, login and account are loaded when first opened (esbuild splits
// them into chunks), so the first page load stays small.
const routes: [RegExp, Page][] = [
  [/^\/$/, { title: 'Trang chủ', render: (c) => renderHome(c) }],
  [/^\/units$/, { title: 'Đơn vị', only: 'admin', render: async (c) => (await import('./views/screens-admin')).renderUnits(c) }],
  [/^\/users$/, { title: 'Người dùng', only: 'admin', render: async (c) => (await import('./views/screens-admin')).renderUsers(c) }],
  [/^\/unit-users$/, { title: 'Người dùng của đơn vị', only: 'leader', render: async (c) => (await import('./views/screens-admin')).renderUnitUsers(c) }],
  [/^\/audit$/, { title: 'Nhật ký', only: 'admin', render: async (c) => (await import('./views/screens-admin')).renderAudit(c) }],
  [/^\/frameworks$/, { title: 'Bộ chỉ số', render: async (c) => (await import('./views/frameworks')).renderFrameworkList(c) }],
  [/^\/frameworks\/([^/]+)$/, { title: 'Bộ chỉ số', render: async (c, id) => (await import('./views/frameworks')).renderFramework(c, id) }],
  [/^\/account$/, { title: 'Tài khoản', render: (c) => renderAccount(c.main, c.me, reloadMe) }],
  [/^\/rounds$/, { title: 'Đợt đánh giá', render: async (c) => (await import('./views/screens-rounds')).renderRounds(c) }],
  [/^\/rounds\/new$/, { title: 'Tạo đợt đánh giá', only: 'admin', render: async (c) => (await import('./views/screens-rounds')).renderRoundNew(c) }],
  [/^\/rounds\/(\d+)$/, { title: 'Đợt đánh giá', only: 'admin', render: async (c, id) => (await import('./views/screens-rounds')).renderRound(c, id) }],
  [/^\/rounds\/(\d+)\/tasks$/, { title: 'Nhiệm vụ', render: async (c, id) => (await import('./views/screens-rounds')).renderTasks(c, id) }],
  [/^\/rounds\/(\d+)\/excel$/, { title: 'Nhập/xuất Excel', render: async (c, id) => (await import('./views/excel')).renderExcel(c, id) }],
  [/^\/rounds\/(\d+)\/report$/, { title: 'Báo cáo của đơn vị', render: async (c, id) => (await import('./views/screens-rounds')).renderReport(c, id) }],
  [/^\/tasks\/(\d+)$/, { title: 'Nhiệm vụ', render: async (c, id) => (await import('./views/screens-rounds')).renderTask(c, id) }],
  // part: dash (issue 9) — "Báo cáo chỉ số DTI"
  [/^\/dashboard$/, { title: 'Báo cáo chỉ số DTI', render: async (c) => (await import('./views/dashboard')).renderDashboardHome(c) }],
  [/^\/rounds\/(\d+)\/dashboard$/, { title: 'Báo cáo chỉ số DTI', render: async (c, id) => (await import('./views/dashboard')).renderDashboard(c, id) }],
  [/^\/rounds\/(\d+)\/rankings$/, { title: 'Xếp hạng', render: async (c, id) => (await import('./views/rankings')).renderRankings(c, id) }], // part: rank
  // part unitpage (issue 9): the unit's own page and its progress report; the param is "round/units/unit"
  [/^\/rounds\/(\d+\/units\/\d+)$/, { title: 'Nơi đơn vị còn có thể tăng điểm', render: async (c, p) => (await import('./views/unitpage')).renderUnitPage(c, ...roundUnit(p)) }],
  [/^\/rounds\/(\d+\/units\/\d+)\/progress$/, { title: 'Báo cáo tiến độ', render: async (c, p) => (await import('./views/progress')).renderProgress(c, ...roundUnit(p)) }],
  [/^\/inbox$/, { title: 'Việc cần làm', render: async (c) => (await import('./views/screens-rounds')).renderInbox(c) }],
];

/** "12/units/34" → ["12", "34"] (part unitpage). */
function roundUnit(p: string): [string, string] {
  const [round, , unit] = p.split('/');
  return [round, unit];
}

/** The inbox total for the navigation ("Việc cần làm (3)"); 0 when it cannot be read. */
async function inboxCount(): Promise<number> {
  try {
    const inbox = await get<Inbox>('/inbox');
    return inbox.total ?? inbox.items.length;
  } catch {
    return 0;
  }
}

async function reloadMe(): Promise<void> {
  me = await loadMe();
  await route();
}

function navItems(role: Role): [string, string][] {
  if (role === 'admin') return [['/units', 'Đơn vị'], ['/users', 'Người dùng'], ['/frameworks', 'Bộ chỉ số'], ['/rounds', 'Đợt đánh giá'],
    ['/dashboard', 'Báo cáo chỉ số DTI'], ['/inbox', 'Việc cần làm'], ['/audit', 'Nhật ký'], ['/account', 'Tài khoản']];
  return [['/', 'Trang chủ'], ['/inbox', 'Việc cần làm'], ['/rounds', 'Đợt đánh giá'],
    ...(role === 'appraiser' ? [['/dashboard', 'Báo cáo chỉ số DTI']] as [string, string][] : []),
    ...(role === 'leader' ? [['/unit-users', 'Người dùng của đơn vị']] as [string, string][] : []),
    ['/frameworks', 'Bộ chỉ số'], ['/account', 'Tài khoản']];
}

async function loadMe(): Promise<Me | null> {
  meLoaded = true;
  try {
    const m = await get<Me>('/me');
    setCsrf(m.csrf_token);
    return m;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

export async function logout(): Promise<void> {
  try {
    await post('/auth/logout');
  } catch {
    // The session may already be gone; the login screen is right either way.
  }
  me = null;
  setCsrf('');
  showLogin();
}

function showLogin(notice?: string): void {
  document.title = 'Đăng nhập — DTI';
  renderLogin(root, notice, async () => {
    me = await loadMe();
    await route();
  });
}

/** part: pub — the published results are public: no login, no session asked for. */
const isPublicPath = (p: string): boolean => p === '/cong-khai' || p.startsWith('/cong-khai/');

async function route(): Promise<void> {
  if (isPublicPath(currentPath())) {
    document.title = 'Kết quả công bố — DTI';
    await (await import('./views/public')).renderPublic(root, currentPath());
    return;
  }
  if (!me && !meLoaded) me = await loadMe();
  if (!me) {
    showLogin();
    return;
  }
  if (me.user.must_change_password) {
    document.title = 'Đổi mật khẩu — DTI';
    renderPasswordChange(root, me, async () => {
      me = await loadMe();
      await route();
    }, logout);
    return;
  }
  if (me.user.role === 'admin' && !me.user.totp_enabled) {
    document.title = 'Bật xác thực hai bước — DTI';
    renderTotpRequired(root, me, reloadMe, logout);
    return;
  }
  const isAdmin = me.user.role === 'admin';
  let path = currentPath();
  if (path === '/' && isAdmin) {
    navigate('/units', true);
    return;
  }
  const match = routes.map(([re, page]) => [re.exec(path), page] as const).find(([m]) => m);
  const main = frame(me, path);
  if (!match) {
    document.title = 'Không tìm thấy — DTI';
    replace(main, h('h1', null, 'Không tìm thấy trang'), h('p', null, h('a', { href: '/' }, 'Về trang chủ')));
    return;
  }
  const [m, page] = match;
  document.title = `${page.title} — DTI`;
  if (page.only && page.only !== me.user.role) {
    replace(main, h('h1', null, page.title), h('p', { class: 'notice' }, 'Bạn không có quyền xem trang này.'));
    return;
  }
  // After an in-app navigation, move focus to the new content (as a page load would).
  const moved = lastPath !== null && lastPath !== path;
  lastPath = path;
  // A slow network shows that something is coming rather than an empty page.
  main.setAttribute('aria-busy', 'true');
  const loading = setTimeout(() => {
    if (!main.firstChild) replace(main, h('p', { class: 'loading', role: 'status' }, 'Đang tải…'));
  }, 150);
  try {
    await page.render({ me, main, isAdmin }, m![1] ? decodeURIComponent(m![1]) : '');
    const y = takeScroll();
    if (moved && main.isConnected) main.focus({ preventScroll: y !== null });
    if (y !== null) window.scrollTo(0, y);
  } catch (err) {
    if (err instanceof ApiError && (err.status === 401 || err.code === 'password_change_required' || err.code === 'totp_enrolment_required')) return;
    const retry = h('button', { type: 'button' }, 'Thử lại');
    retry.addEventListener('click', () => void route());
    replace(main, h('h1', null, page.title),
      h('p', { class: 'form-alert', role: 'alert' }, err instanceof ApiError ? err.message : 'Không tải được trang.'),
      h('p', null, retry));
    if (!(err instanceof ApiError)) console.error(err);
  } finally {
    clearTimeout(loading);
    main.removeAttribute('aria-busy');
  }
}

function frame(m: Me, path: string): HTMLElement {
  const main = h('main', { id: 'main', tabindex: '-1' });
  const logoutBtn = h('button', { type: 'button', class: 'link-button' }, 'Đăng xuất');
  logoutBtn.addEventListener('click', () => void logout());
  const nav = h('nav', { 'aria-label': 'Điều hướng chính' },
    h('ul', null, navItems(m.user.role).map(([href, text]) => {
      const active = href === '/' ? path === '/' : path === href || path.startsWith(href + '/');
      return h('li', null, h('a', { href, 'aria-current': active ? 'page' : null }, text));
    })));
  // The inbox count arrives after the page: "Việc cần làm (3)".
  void inboxCount().then((n) => {
    const a = nav.querySelector('a[href="/inbox"]');
    if (a && n > 0) a.append(h('span', { class: 'nav-count', 'data-count': n }, ` (${n})`));
  });
  replace(root,
    h('a', { class: 'skip-link', href: '#main' }, 'Chuyển đến nội dung chính'),
    h('header', { class: 'app-header' },
      h('div', { class: 'brand' },
        h('span', { class: 'app-name' }, 'DTI'),
        h('span', { class: 'unit-name' }, m.unit?.name ?? '')),
      h('div', { class: 'who' },
        h('span', { class: 'user-name' }, m.user.full_name || m.user.username),
        h('span', { class: 'role' }, label(ROLE_LABELS, m.user.role)),
        logoutBtn)),
    nav,
    main);
  const skip = root.querySelector<HTMLAnchorElement>('.skip-link')!;
  skip.addEventListener('click', (ev) => {
    ev.preventDefault();
    ev.stopPropagation();
    main.focus();
  });
  return main;
}

setUnauthorizedHandler((err) => {
  if (err.code === 'password_change_required' && me) {
    me.user.must_change_password = true;
    void route();
    return;
  }
  if (err.code === 'totp_enrolment_required' && me) {
    me.user.totp_enabled = false;
    void route();
    return;
  }
  me = null;
  showLogin('Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.');
});

onRoute(() => void route());

(async () => {
  try {
    await route();
  } catch (err) {
    replace(root, h('main', { id: 'main' }, h('p', { class: 'form-alert', role: 'alert' },
      err instanceof ApiError ? err.message : 'Không tải được ứng dụng.')));
  }
})();
