// Records the other platforms' optional native packages (@swc/core-darwin-arm64, ...) in
// package-lock.json when the registry this lockfile was made against does not serve them.
//
// Why: npm only writes lockfile entries for optional dependencies it can resolve. Behind a
// registry that serves Linux builds only, the darwin/win32 entries are left out, and `npm ci`
// then refuses the lockfile ("Missing: @swc/core-darwin-arm64 from lock file"). An entry with the
// package's os/cpu lets `npm ci` skip it here and fetch it on the platform that needs it.
// Run after changing dependencies: `node scripts/lockfile-platform-entries.js`.
const fs = require('node:fs');
const path = require('node:path');

const lockPath = path.resolve(__dirname, '../package-lock.json');
const lock = JSON.parse(fs.readFileSync(lockPath, 'utf8'));
const packages = lock.packages;

const OS = ['darwin', 'linux', 'win32', 'freebsd', 'android', 'openbsd', 'sunos', 'aix'];
const CPU = {
  arm64: 'arm64',
  x64: 'x64',
  ia32: 'ia32',
  arm: 'arm',
  ppc64: 'ppc64',
  s390x: 's390x',
  riscv64: 'riscv64',
};

function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = parts.find((p) => OS.includes(p));
  const cpu = parts.map((p) => CPU[p]).find(Boolean);
  if (!os || !cpu) return undefined;
  const libc = parts.includes('musl')
    ? ['musl']
    : os === 'linux' && parts.some((p) => p.startsWith('gnu'))
      ? ['glibc']
      : undefined;
  return { os: [os], cpu: [cpu], ...(libc ? { libc } : {}) };
}

let added = 0;
for (const [location, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = `${location}/node_modules/${name}`;
    if (packages[`node_modules/${name}`] || packages[nested]) continue;
    const platform = platformOf(name);
    if (!platform) continue; // not a platform build: leave it to npm
    packages[`node_modules/${name}`] = { version, license: entry.license, optional: true, ...platform };
    added++;
  }
}
if (added > 0) {
  lock.packages = Object.fromEntries(
    Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)),
  );
  fs.writeFileSync(lockPath, JSON.stringify(lock, null, 2) + '\n');
}
process.stdout.write(`lockfile: ${added} platform entries added\n`);
