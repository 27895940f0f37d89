// Browser tests: Debian's chromium (never a downloaded browser), one worker, against the server
// that run.sh started on DTI_BASE_URL. Run from web/ so @playwright/test resolves from
// web/node_modules: `npx playwright test --config ../tests/browser/playwright.config.mjs`.
const chromium = process.env.CHROMIUM ?? '/usr/lib/chromium/chromium';

export default {
  testDir: '.',
  testMatch: /.*\.spec\.mjs$/,
  outputDir: process.env.DTI_PW_OUT ?? '/tmp/dti-playwright-results',
  workers: 1,
  fullyParallel: false,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  reporter: [['list']],
  use: {
    baseURL: process.env.DTI_BASE_URL ?? 'http://127.0.0.1:18610',
    browserName: 'chromium',
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    launchOptions: { executablePath: chromium },
    trace: 'off',
    screenshot: 'only-on-failure',
  },
};
