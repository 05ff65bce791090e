// `npm run test:electronegativity`: Doyensec's Electronegativity over the Electron code, as a gate.
//
//   node scripts/electronegativity.mjs                  the desk: electron/ sources, the built
//                                                       dist-electron/ bundles, dist/renderer/
//   node scripts/electronegativity.mjs --input <path>   any file or folder (to try the gate itself)
//   ... --exceptions <file>                             default: .electronegativity-exceptions.json
//
// Exits 1 on any HIGH or MEDIUM finding that no exception covers, on a file Electronegativity could
// not parse (its checks did not run there), and on a CSP that Google's CSP evaluator rates HIGH or
// MEDIUM. LOW and INFORMATIONAL findings are printed as notes.
//
// Why it scans what it scans:
// - Electronegativity parses TypeScript with its own (older) parsers. Should a newer syntax in
//   electron/**/*.ts ever fail to parse, the esbuild output in dist-electron/ is plain JavaScript of
//   the same code, so both are scanned. The preload bundle is named .cjs, an extension the tool
//   skips, so it is staged under a .js name.
// - Its BrowserWindow checks read only literal options at the `new BrowserWindow(...)` call; the
//   shell writes its web preferences there for that reason (electron/shell/window.ts).
// - It rates every CSP weakness LOW, and cannot read a CSP built in code, so the CSP strings it
//   finds (the renderer's meta tag) and the shell's header CSP (electron/shell/csp.ts) also go
//   through the CSP evaluator it bundles, with HIGH/MEDIUM failing the gate.
// - It fetches translations and Electron's release list from the internet on every run. The run
//   here is hermetic: those requests fail at once, so results do not depend on the network, and the
//   English messages and release list shipped in the package are used.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

// ---------------------------------------------------------------------------------------------
// Command line

function parseArgs(argv) {
  const options = { input: null, exceptions: join(root, '.electronegativity-exceptions.json') };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = argv[i + 1];
    if ((flag === '--input' || flag === '-i' || flag === '--exceptions') && value === undefined) usage(`${flag} needs a path`);
    if (flag === '--input' || flag === '-i') options.input = resolve(value);
    else if (flag === '--exceptions') options.exceptions = resolve(value);
    else usage(`unknown argument ${flag}`);
    i += 1;
  }
  return options;
}

function usage(problem) {
  process.stderr.write(`${problem}\nUsage: node scripts/electronegativity.mjs [--input <file|dir>] [--exceptions <file>]\n`);
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------
// Exceptions: reviewed like code. Each names the check, the files, a piece of the flagged source
// line (so a new occurrence elsewhere is not covered) and why the finding does not apply.

function loadExceptions(file) {
  if (!existsSync(file)) return [];
  const parsed = JSON.parse(readFileSync(file, 'utf8'));
  const list = Array.isArray(parsed) ? parsed : parsed.exceptions;
  if (!Array.isArray(list)) throw new Error(`${file}: expected {"exceptions": [...]}`);
  return list.map((entry, index) => {
    const where = `${file}: exception #${index + 1}`;
    if (typeof entry.check !== 'string' || !/^[A-Z_]+$/.test(entry.check)) throw new Error(`${where}: "check" must be a check id such as PRELOAD_JS_CHECK`);
    if (!Array.isArray(entry.files) || entry.files.length === 0 || !entry.files.every((f) => typeof f === 'string')) throw new Error(`${where}: "files" must list the files it covers`);
    if (entry.match !== undefined && (typeof entry.match !== 'string' || entry.match.length < 8)) throw new Error(`${where}: "match" must be a telling piece of the flagged line`);
    if (typeof entry.reason !== 'string' || entry.reason.trim().length < 30) throw new Error(`${where}: "reason" must say why the finding does not apply`);
    return { ...entry, used: 0 };
  });
}

function exceptionFor(finding, exceptions) {
  return exceptions.find(
    (exception) =>
      exception.check === finding.id &&
      exception.files.includes(finding.file) &&
      (exception.match === undefined || finding.lineText.includes(exception.match)),
  );
}

// ---------------------------------------------------------------------------------------------
// Staging: copy what is scanned into one temp folder, so the global checks (navigation limits,
// permission handler, CSP present) see the whole app at once, and remember where each file came from.

const SCANNED = new Set(['.js', '.jsx', '.ts', '.tsx', '.html', '.htm']);
const RENAMED = new Set(['.cjs', '.mjs']); // scanned under a .js name

function walk(dir) {
  const files = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...walk(path));
    else files.push(path);
  }
  return files;
}

function stage(targets, stagingDir) {
  const origins = new Map(); // staged path relative to stagingDir -> original path relative to base
  for (const { path, base } of targets) {
    const files = statSync(path).isDirectory() ? walk(path) : [path];
    for (const file of files) {
      const ext = extname(file).toLowerCase();
      if (!SCANNED.has(ext) && !RENAMED.has(ext) && basename(file) !== 'package.json') continue;
      const original = relative(base, file).split(sep).join('/');
      const staged = RENAMED.has(ext) ? `${original}.js` : original;
      mkdirSync(dirname(join(stagingDir, staged)), { recursive: true });
      cpSync(file, join(stagingDir, staged));
      origins.set(staged, { original, absolute: file });
    }
  }
  return origins;
}

function defaultTargets() {
  const targets = [{ path: join(root, 'electron'), base: root }, { path: join(root, 'package.json'), base: root }];
  const notes = [];
  const built = join(root, 'dist-electron');
  const builtFiles = existsSync(built) ? readdirSync(built).filter((name) => /\.(js|cjs|mjs)$/.test(name)) : [];
  if (builtFiles.length === 0) notes.push('dist-electron/ has no bundles (run `npm run build`): scanning the TypeScript sources only');
  for (const name of builtFiles) targets.push({ path: join(built, name), base: root });
  const renderer = join(root, 'dist', 'renderer');
  if (existsSync(join(renderer, 'index.html'))) targets.push({ path: renderer, base: root });
  else notes.push('dist/renderer/index.html is missing (run `npm run build`): the renderer page and its meta CSP were not scanned');
  return { targets, notes };
}

// ---------------------------------------------------------------------------------------------
// Running Electronegativity in-process, offline

function loadElectronegativity() {
  const packageDir = dirname(require.resolve('@doyensec/electronegativity/package.json'));
  const fromPackage = createRequire(join(packageDir, 'dist', 'runner.js'));
  const gotPath = fromPackage.resolve('got');
  const offline = () => Promise.reject(new Error('offline: scripts/electronegativity.mjs keeps the scan hermetic'));
  const got = Object.assign(offline, { get: offline, head: offline, post: offline });
  require.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: got, children: [], paths: [] };
  return {
    run: fromPackage('./runner.js'),
    version: JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).version,
  };
}

const NOISE = [/Could not retrieve updated translations/, /Fetching Electron's new releases/, /Something went wrong while fetching Electron's releases/];

async function quietly(work) {
  const original = console.log;
  const kept = [];
  console.log = (...args) => {
    const line = args.map(String).join(' ');
    if (!NOISE.some((pattern) => pattern.test(line))) kept.push(line);
  };
  try {
    return await work();
  } finally {
    console.log = original;
    for (const line of kept) process.stderr.write(`${line}\n`);
  }
}

// ---------------------------------------------------------------------------------------------
// CSP evaluation

async function headerCsp() {
  const { tsImport } = await import('tsx/esm/api');
  const module = await tsImport(join(root, 'electron', 'shell', 'csp.ts'), import.meta.url);
  return module.CONTENT_SECURITY_POLICY;
}

function evaluateCsp(policy, where) {
  const csp = require('@doyensec/csp-evaluator');
  const byValue = Object.fromEntries(Object.entries(csp.severities).map(([name, value]) => [value, name]));
  const findings = new csp.CspEvaluator(new csp.CspParser(policy).csp, csp.Version.CSP3).evaluate();
  return findings.map((finding) => {
    const name = byValue[finding.severity] ?? 'INFO';
    const severity = name === 'HIGH' ? 'HIGH' : name === 'MEDIUM' || name === 'SYNTAX' ? 'MEDIUM' : name === 'INFO' || name === 'NONE' ? 'INFORMATIONAL' : 'LOW';
    return {
      id: 'CSP_EVALUATOR',
      severity,
      confidence: name,
      ...where,
      description: `${finding.directive} ${finding.value ?? ''}: ${finding.description}`.replace(/\s+/g, ' '),
    };
  });
}

// ---------------------------------------------------------------------------------------------

function lineOf(file, line) {
  if (!file || line < 1) return '';
  try {
    return (readFileSync(file, 'utf8').split('\n')[line - 1] ?? '').trim();
  } catch {
    return '';
  }
}

const RANK = { HIGH: 3, MEDIUM: 2, LOW: 1, INFORMATIONAL: 0 };

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const exceptions = loadExceptions(options.exceptions);
  const { targets, notes } = options.input
    ? { targets: [{ path: options.input, base: statSync(options.input).isDirectory() ? options.input : dirname(options.input) }], notes: [] }
    : defaultTargets();

  const stagingDir = mkdtempSync(join(tmpdir(), 'electronegativity-'));
  let result;
  let origins;
  const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
  const tool = loadElectronegativity();
  try {
    origins = stage(targets, stagingDir);
    result = await quietly(() =>
      tool.run(
        { input: stagingDir, isRelative: true, electronVersionOverride: electronVersion, customScan: [], excludeFromScan: [], parserPlugins: [] },
        false,
      ),
    );
  } finally {
    rmSync(stagingDir, { recursive: true, force: true });
  }

  const locate = (stagedFile) => {
    if (!stagedFile || stagedFile === 'N/A') return { file: 'N/A', absolute: null };
    // Issues come relative to the staging folder, parse errors with an absolute path.
    const key = (stagedFile.startsWith(stagingDir) ? relative(stagingDir, stagedFile) : stagedFile).split(sep).join('/');
    const origin = origins.get(key);
    return origin ? { file: origin.original, absolute: origin.absolute } : { file: key, absolute: null };
  };

  const findings = [];
  for (const issue of result.issues) {
    const { file, absolute } = locate(issue.file);
    const line = issue.location?.line ?? 0;
    findings.push({
      id: issue.id,
      severity: issue.severity?.name ?? 'HIGH',
      confidence: issue.confidence?.name ?? '',
      file,
      line,
      column: issue.location?.column ?? 0,
      lineText: lineOf(absolute, line) || String(issue.sample ?? ''),
      description: issue.description,
      url: issue.shortenedURL ?? '',
      cspString: issue.id === 'CSP_GLOBAL_CHECK' && typeof issue.sample === 'string' && issue.sample.includes('-src') ? issue.sample : null,
    });
  }
  for (const error of result.errors) {
    const { file } = locate(error.file);
    findings.push({
      id: 'PARSE_ERROR',
      severity: error.tolerable ? 'LOW' : 'HIGH',
      confidence: '',
      file,
      line: 0,
      column: 0,
      lineText: '',
      description: `Electronegativity could not parse this file, so its checks did not run here: ${error.message}`,
      url: '',
    });
  }
  for (const finding of findings.filter((f) => f.cspString)) {
    findings.push(...evaluateCsp(finding.cspString, { file: finding.file, line: finding.line, column: finding.column, lineText: finding.lineText, url: '' }));
  }
  if (!options.input) {
    const policy = await headerCsp();
    findings.push(...evaluateCsp(policy, { file: 'electron/shell/csp.ts', line: 0, column: 0, lineText: policy, url: '' }));
  }

  const failing = [];
  const remarks = [];
  const excepted = [];
  for (const finding of findings) {
    const exception = exceptionFor(finding, exceptions);
    if (exception) {
      exception.used += 1;
      excepted.push({ finding, exception });
    } else if (RANK[finding.severity] >= RANK.MEDIUM) failing.push(finding);
    else remarks.push(finding);
  }

  const show = (finding) => {
    const where = finding.line > 0 ? `${finding.file}:${finding.line}:${finding.column}` : finding.file;
    return `${finding.severity.padEnd(13)} ${finding.id.padEnd(40)} ${where}\n${' '.repeat(14)}${finding.description}${finding.url ? ` (${finding.url})` : ''}${finding.lineText ? `\n${' '.repeat(14)}> ${finding.lineText.slice(0, 160)}` : ''}`;
  };

  const out = [];
  out.push(
    `Electronegativity ${tool.version}, ${result.atomicChecks + result.globalChecks} checks, Electron ${electronVersion} assumed, ${origins.size} files scanned` +
      (options.input ? ` from ${relative(process.cwd(), options.input) || '.'}` : ' (electron/, dist-electron/, dist/renderer/)'),
  );
  for (const note of notes) out.push(`note: ${note}`);
  sortBySeverity(failing);
  sortBySeverity(remarks);
  if (failing.length > 0) out.push('', `Findings to fix (${failing.length}):`, ...failing.map(show));
  if (remarks.length > 0) out.push('', `Notes, LOW/INFORMATIONAL (${remarks.length}):`, ...remarks.map(show));
  if (excepted.length > 0) {
    out.push('', `Excepted by ${relative(root, options.exceptions)} (${excepted.length}):`);
    for (const exception of exceptions.filter((candidate) => candidate.used > 0)) {
      const places = excepted
        .filter((entry) => entry.exception === exception)
        .map(({ finding }) => `${finding.file}${finding.line > 0 ? `:${finding.line}` : ''}`);
      out.push(`  ${exception.check} at ${places.join(', ')}`, `      because: ${exception.reason}`);
    }
  }
  const unused = exceptions.filter((exception) => exception.used === 0);
  if (unused.length > 0 && !options.input) {
    out.push('', 'Exceptions that matched nothing (remove them if the code they covered is gone):');
    for (const exception of unused) out.push(`  ${exception.check} ${exception.files.join(', ')}${exception.match ? ` "${exception.match}"` : ''}`);
  }
  out.push(
    '',
    failing.length === 0
      ? `OK: no HIGH or MEDIUM finding (${excepted.length} excepted, ${remarks.length} notes).`
      : `FAILED: ${failing.length} HIGH/MEDIUM finding${failing.length === 1 ? '' : 's'} (${excepted.length} excepted, ${remarks.length} notes).`,
  );
  process.stdout.write(`${out.join('\n')}\n`);
  process.exitCode = failing.length === 0 ? 0 : 1;
}

function sortBySeverity(list) {
  list.sort((a, b) => RANK[b.severity] - RANK[a.severity] || a.file.localeCompare(b.file) || a.line - b.line);
}

main().catch((error) => {
  process.stderr.write(`electronegativity gate failed to run: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(2);
});
