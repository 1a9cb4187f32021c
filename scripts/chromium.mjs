// Chromium for the dashboard's browser tests: Debian's `chromium` package,
// driven by playwright-core (Playwright's own browser downloads are not
// reachable from the project's machines). Uses only Node's own modules.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const executable = (file) => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * Makes sure Chromium is there, installing Debian's package with apt-get
 * when this process may (root, apt-get present). Returns '' when Chromium is
 * ready, else one line saying why not.
 */
export function ensureChromium() {
  if (executable(CHROMIUM_PATH)) return '';
  if (process.env.CHROMIUM_PATH) return `CHROMIUM_PATH=${CHROMIUM_PATH} is not an executable`;
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
    return `${CHROMIUM_PATH} is missing and cannot be installed from here (needs root and apt-get): apt-get install -y chromium`;
  }
  console.log('broadsync: installing Chromium for the browser tests (apt-get install -y chromium)…');
  const apt = (...args) =>
    spawnSync('apt-get', args, {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    }).status === 0;
  // A fresh machine has no package lists yet: update once, then install.
  if (!apt('install', '-y', '-q', 'chromium') && !(apt('update', '-q') && apt('install', '-y', '-q', 'chromium'))) {
    return 'apt-get install -y chromium failed';
  }
  return executable(CHROMIUM_PATH) ? '' : `apt-get installed chromium, but ${CHROMIUM_PATH} is still missing`;
}
