// Builds the UI into ../build/web with esbuild (runs on Node.js 18, Debian 12's own):
//   index.html                      from web/index.html, pointing at the bundles below
//   assets/index-<hash>.js | .css   content-hashed, so the server caches /assets/ as immutable
// Type checking is separate (`tsc --noEmit`, see package.json): esbuild only strips types.
//
//   node build.mjs          one production build (minified)
//   node build.mjs --dev    rebuild on change and serve on 127.0.0.1:$DTI_DEV_PORT (18620), /api
//                           proxied to DTI_API (default http://127.0.0.1:18610, a running `dti serve`)
import * as esbuild from 'esbuild';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
// DTI_WEB_OUT: another output directory (tests/cli/node18_build.sh builds into a temporary one).
const outdir = path.resolve(here, process.env.DTI_WEB_OUT ?? '../build/web');
const dev = process.argv.includes('--dev');

// The one line of web/index.html the build replaces with the hashed bundles.
const ENTRY_TAG = '<script type="module" src="/src/main.ts"></script>';

// After each build: write index.html for this build's hashed names, drop stale assets.
const htmlPlugin = {
  name: 'dti-index-html',
  setup(build) {
    build.onEnd(async (result) => {
      if (result.errors.length) return;
      const outputs = result.metafile.outputs;
      const rel = (p) => '/' + path.relative(outdir, path.resolve(here, p)).split(path.sep).join('/');
      const entry = Object.entries(outputs).find(([, o]) => o.entryPoint === 'src/main.ts');
      if (!entry) throw new Error('build.mjs: no output for src/main.ts');
      const [jsFile, js] = entry;
      let tags = `<script type="module" src="${rel(jsFile)}"></script>`;
      if (js.cssBundle) tags += `\n  <link rel="stylesheet" href="${rel(js.cssBundle)}">`;
      const src = await readFile(path.join(here, 'index.html'), 'utf8');
      if (!src.includes(ENTRY_TAG)) throw new Error(`build.mjs: web/index.html lacks ${ENTRY_TAG}`);
      await writeFile(path.join(outdir, 'index.html'), src.replace(ENTRY_TAG, tags));
      const keep = new Set(Object.keys(outputs).map((p) => path.resolve(here, p)));
      const assets = path.join(outdir, 'assets');
      for (const f of await readdir(assets)) {
        if (!keep.has(path.join(assets, f))) await rm(path.join(assets, f), { force: true });
      }
    });
  },
};

const options = {
  absWorkingDir: here,
  entryPoints: { index: 'src/main.ts' },
  bundle: true,
  format: 'esm',
  target: 'es2020',
  minify: !dev,
  sourcemap: dev ? 'inline' : false,
  charset: 'utf8', // Vietnamese text stays readable in the bundle (served as UTF-8)
  legalComments: 'none',
  outdir,
  entryNames: 'assets/[name]-[hash]',
  splitting: true, // screens are import()ed when first opened: chunks next to the entry
  chunkNames: 'assets/chunk-[hash]',
  assetNames: 'assets/[name]-[hash]',
  metafile: true,
  logLevel: 'warning',
  plugins: [htmlPlugin],
};

await rm(outdir, { recursive: true, force: true });
await mkdir(path.join(outdir, 'assets'), { recursive: true });

if (!dev) {
  await esbuild.build(options);
} else {
  const ctx = await esbuild.context(options);
  await ctx.watch();
  const api = new URL(process.env.DTI_API ?? 'http://127.0.0.1:18610');
  const port = Number(process.env.DTI_DEV_PORT ?? 18620);
  const types = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html' };
  http
    .createServer(async (req, res) => {
      if (req.url.startsWith('/api/')) {
        const up = http.request(
          { host: api.hostname, port: api.port, method: req.method, path: req.url, headers: req.headers },
          (r) => { res.writeHead(r.statusCode, r.headers); r.pipe(res); },
        );
        up.on('error', () => { res.writeHead(502); res.end(); });
        req.pipe(up);
        return;
      }
      // Files under /assets/, index.html for every other path (history routing).
      const p = new URL(req.url, 'http://x').pathname;
      let file = path.join(outdir, 'index.html');
      if (p.startsWith('/assets/') && !p.includes('..')) file = path.join(outdir, p);
      try {
        await stat(file);
      } catch {
        res.writeHead(404); res.end(); return;
      }
      res.writeHead(200, { 'Content-Type': `${types[path.extname(file)] ?? 'application/octet-stream'}; charset=utf-8`, 'Cache-Control': 'no-store' });
      createReadStream(file).pipe(res);
    })
    .listen(port, '127.0.0.1', () => console.log(`http://127.0.0.1:${port} (API: ${api.origin})`));
}
