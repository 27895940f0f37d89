// History-based routing: the server answers index.html for every non-API path.

type Listener = () => void;
let listener: Listener = () => {};

// Where a page was scrolled is kept in its history entry (saved when scrolling stops and when a
// link leaves it; a reload gives no chance to write history), so Back/Forward and reload return to
// the same place in a long list. The browser's own restoration runs before the screen has loaded
// its data, so it is turned off.
let restorePending = true; // the first render after a (re)load
function saveScroll(): void {
  history.replaceState({ ...(history.state ?? {}), scrollY: Math.round(window.scrollY) }, '');
}

/** The saved scroll position to return to after this render (Back/Forward, reload), once. */
export function takeScroll(): number | null {
  if (!restorePending) return null;
  restorePending = false;
  const y = (history.state as { scrollY?: unknown } | null)?.scrollY;
  return typeof y === 'number' && y > 0 ? y : null;
}

export function onRoute(fn: Listener): void {
  listener = fn;
  if ('scrollRestoration' in history) history.scrollRestoration = 'manual';
  let timer = 0;
  window.addEventListener('scroll', () => {
    clearTimeout(timer);
    timer = window.setTimeout(saveScroll, 250);
  }, { passive: true });
  window.addEventListener('popstate', () => {
    restorePending = true;
    listener();
  });
  // Same-origin links navigate without a page load; modified clicks keep the browser's behaviour.
  document.addEventListener('click', (ev) => {
    if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    const a = (ev.target as Element | null)?.closest?.('a');
    if (!a || a.target || a.hasAttribute('download')) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
    ev.preventDefault();
    navigate(url.pathname + url.search);
  });
}

export function navigate(path: string, replaceState = false): void {
  restorePending = false;
  if (replaceState) history.replaceState(null, '', path);
  else if (path !== location.pathname + location.search) {
    saveScroll();
    history.pushState(null, '', path);
  }
  listener();
}

export function currentPath(): string {
  return location.pathname;
}
