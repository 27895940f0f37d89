// History-based routing: the server answers index.html for every non-API path.

type Listener = () => void;
let listener: Listener = () => {};

export function onRoute(fn: Listener): void {
  listener = fn;
  window.addEventListener('popstate', () => listener());
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
  if (replaceState) history.replaceState(null, '', path);
  else if (path !== location.pathname + location.search) history.pushState(null, '', path);
  listener();
}

export function currentPath(): string {
  return location.pathname;
}
