// `npm start`: builds if needed, then runs the desk in Electron; where the Electron runtime cannot
// be obtained or started (offline install, no display), says so in one line on stderr and runs
// server mode instead, which prints the address to open. Arguments after `npm start --` go to
// whichever mode runs (server mode understands --port and --data-dir; see its --help).
//
// Set DESK_START_MODE=server to skip Electron on purpose.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildStatus, chooseLaunch, fallbackLine, launchElectron } from './start-lib.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

// Children run in their own process group (see launchElectron), so a terminal Ctrl+C reaches
// them once, through here, instead of twice: server mode treats a second SIGINT as "exit now".
let current = null;
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopping = true;
    if (current && current.exitCode === null && current.signalCode === null) current.kill(signal);
    else process.exit(130);
  });
}

function buildIfNeeded() {
  const status = buildStatus(root);
  if (!status.stale) return;
  process.stderr.write(`Building the desk (${status.reason})...\n`);
  // npm sets npm_execpath when it runs this script; otherwise use npm from PATH.
  const npmCli = process.env.npm_execpath;
  const [command, commandArgs] = npmCli ? [process.execPath, [npmCli, 'run', 'build']] : ['npm', ['run', 'build']];
  // The build's chatter goes to stderr: stdout is kept for server mode's one "Desk ready at" line.
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: ['ignore', 2, 2], shell: !npmCli && process.platform === 'win32' });
  if (result.status !== 0) {
    process.stderr.write('The build failed; see the messages above.\n');
    process.exit(result.status ?? 1);
  }
}

function runServerMode() {
  const child = spawn(process.execPath, [join(root, 'dist-electron', 'server.js'), ...args], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: process.platform !== 'win32',
  });
  current = child;
  child.on('error', (error) => {
    process.stderr.write(`Cannot start server mode: ${error.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

buildIfNeeded();
const launch = chooseLaunch({ electronDir: join(root, 'node_modules', 'electron') });
if (launch.mode === 'server') {
  process.stderr.write(`${fallbackLine(launch.reason)}\n`);
  runServerMode();
} else {
  const started = await launchElectron({
    binary: launch.binary,
    args: [root, ...args],
    cwd: root,
    onSpawn: (child) => (current = child),
  });
  if (started.outcome === 'running') {
    process.exit(await started.exited);
  } else if (stopping) {
    process.exit(130);
  } else {
    process.stderr.write(`${fallbackLine(started.reason)}\n`);
    runServerMode();
  }
}
