#!/usr/bin/env node
'use strict';
// bench.js - infer against ONNX Runtime on the reference model zoo, measured side by side.
//
//   node tools/bench.js [options]          (what `make bench` runs; see tools/bench.mk)
//
// For every zoo model ($INFER_REF_HOME/models/<name>/model.onnx, the raw export, with its
// test_data_set_0 inputs) and every thread count, each round times infer (`build/infer bench`,
// a fresh process) and ONNX Runtime (a fresh node process running this script with --ort-child:
// InferenceSession.create with graph optimisations 'all', intra-op threads T, inter-op 1,
// sequential, CPU EP) back to back, so that whatever else the machine is doing hits both. The
// order of the two alternates from round to round. Both get the same number of warm-up and timed
// runs, sized from the latest median of the pair (about --target-ms of timed runs per measurement).
// With --blocks B (B > 0; 8 is a good choice), a round's pair is two processes alive at once, each loaded
// and warmed up, that take turns: B blocks of runs each (about --target-ms / B of runs a block,
// the first run of a block not counted), order alternating by block, the engine waiting its turn
// stopped (SIGSTOP: its idle threads spin no time away from the other); the round's ratio is the
// median over blocks of infer's block median / ORT's next block median. The machine's slow spells
// (a busy hyperthread sibling; tenths of a second to seconds here) then hit both engines alike.
// Reported per model and thread count: the median over rounds of the per-round medians, the median
// over rounds of the per-round ratio infer / ORT (the pair of a round ran back to back, so a slow
// spell of the shared machine tends to hit both), and the geometric mean of the ratios; and the time to get ready to run: infer's
// load + session + prepare (prepare plans memory and runs the graph once) against the wall time of
// ORT's InferenceSession.create (in a fresh process: it includes ORT's one-time environment set-up).
//
// In the first round each model's outputs are checked against the torch reference (rtol 1e-3,
// atol 1e-4, the zoo's tolerance): infer's through `build/infer run -o`, ORT's from its first run.
// Nothing about speed is asserted. Exit status 1 when a model errors or mismatches in either engine.
//
// Options (each also read from the environment variable in brackets, which `make bench` passes):
//   --models a,b       only these models (default: every model in the kit's manifest)  [BENCH_MODELS]
//   --threads 1,2      thread counts (default 1,2)                                      [BENCH_THREADS]
//   --rounds R         rounds (default 3)                                               [BENCH_ROUNDS]
//   --blocks B         blocks per pair and round (default 0: one measurement each, in   [BENCH_BLOCKS]
//                      fresh processes back to back)
//   --target-ms MS     timed run time per measurement (default 400)                     [BENCH_TARGET_MS]
//   --min-runs N       fewest timed runs per measurement (default 3)                    [BENCH_MIN_RUNS]
//   --max-runs N       most timed runs per measurement (default 400)                    [BENCH_MAX_RUNS]
//   --timeout S        time limit of one measurement process, s (default 900)          [BENCH_TIMEOUT_S]
//   --no-check         skip the output check                                            [BENCH_CHECK=0]
//   --infer PATH       the CLI (default build/infer)
//   --shared DIR       the shared folder holding reference/ (default ../shared)         [SHARED]
//   --out FILE         where the Markdown goes (default build/bench.md)
//   --append FILE      Markdown appended to --out after the tables (e.g. the GEMM table)
//   -q                 no per-measurement lines
//   --ort-child MODEL DATASET THREADS RUNS WARMUP [--check]   (internal) one ORT measurement,
//                      printed as one JSON line
//   --ort-serve MODEL DATASET THREADS WARMUP [--check]   (internal) ORT runs on request: a JSON
//                      line when ready, then for each line N on stdin a JSON line of N run times

const fs = require('fs');
const os = require('os');
const path = require('path');
const cp = require('child_process');

function die(msg) {
  process.stderr.write(`bench.js: ${msg}\n`);
  process.exit(2);
}

function kitModules(shared) {
  const dir = path.resolve(shared, 'reference');
  if (!fs.existsSync(path.join(dir, 'ref_home.js'))) die(`no reference kit in ${dir} (set SHARED or --shared)`);
  return { dir, pb: require(path.join(dir, 'onnx_pb.js')), home: require(path.join(dir, 'ref_home.js')) };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
}

function readTensors(pb, dir, prefix) {
  const out = [];
  for (let i = 0; fs.existsSync(path.join(dir, `${prefix}_${i}.pb`)); i++) out.push(pb.readTensorFile(path.join(dir, `${prefix}_${i}.pb`)));
  return out;
}

// Compares tensors (ORT results or decoded .pb files, in output order) with the reference files.
function checkAgainst(pb, outs, refs) {
  if (outs.length < refs.length) return `${outs.length} outputs, reference has ${refs.length}`;
  for (let i = 0; i < refs.length; i++) {
    const o = outs[i];
    const t = o.type !== undefined ? o : { type: o.ortType, dims: o.dims, data: o.data };
    const c = pb.compare(t, refs[i], 1e-3, 1e-4);
    if (!c.ok) return `output ${i}: ${c.reason}`;
  }
  return null;
}

/* ---- the ORT child: one measurement in a fresh process ---------------------------------------- */
async function ortChild(argv, shared) {
  const [model, dataset, threadsS, runsS, warmupS] = argv;
  const check = argv.includes('--check');
  const { pb, home } = kitModules(shared);
  const ort = home.loadOrt();
  const inputs = readTensors(pb, dataset, 'input');
  if (!inputs.length) throw new Error(`no input_0.pb in ${dataset}`);
  const threads = parseInt(threadsS, 10), runs = parseInt(runsS, 10), warmup = parseInt(warmupS, 10);
  const t0 = process.hrtime.bigint();
  const sess = await ort.InferenceSession.create(model, {
    graphOptimizationLevel: 'all', intraOpNumThreads: threads, interOpNumThreads: 1,
    executionMode: 'sequential', executionProviders: ['cpu'], logSeverityLevel: 3 });
  const createMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const feeds = {};
  inputs.forEach((a, i) => { feeds[sess.inputNames[i]] = pb.toOrtTensor(ort, a); });
  const first = await sess.run(feeds);
  let mismatch = null;
  if (check) {
    const refs = readTensors(pb, dataset, 'output');
    mismatch = checkAgainst(pb, sess.outputNames.map((n) => first[n]), refs);
  }
  for (let i = 0; i < warmup; i++) await sess.run(feeds);
  const ms = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    await sess.run(feeds);
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  await sess.release();
  process.stdout.write(JSON.stringify({ createMs, median: median(ms), runs: ms.length, mismatch }) + '\n');
}

async function ortServe(argv, shared) {
  const [model, dataset, threadsS, warmupS] = argv;
  const { pb, home } = kitModules(shared);
  const ort = home.loadOrt();
  const inputs = readTensors(pb, dataset, 'input');
  if (!inputs.length) throw new Error(`no input_0.pb in ${dataset}`);
  const t0 = process.hrtime.bigint();
  const sess = await ort.InferenceSession.create(model, {
    graphOptimizationLevel: 'all', intraOpNumThreads: parseInt(threadsS, 10), interOpNumThreads: 1,
    executionMode: 'sequential', executionProviders: ['cpu'], logSeverityLevel: 3 });
  const createMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const feeds = {};
  inputs.forEach((a, i) => { feeds[sess.inputNames[i]] = pb.toOrtTensor(ort, a); });
  const first = await sess.run(feeds);
  const mismatch = argv.includes('--check') ?
    checkAgainst(pb, sess.outputNames.map((n) => first[n]), readTensors(pb, dataset, 'output')) : null;
  for (let i = 0; i < parseInt(warmupS, 10); i++) await sess.run(feeds);
  process.stdout.write(JSON.stringify({ createMs, mismatch }) + '\n');
  const rl = require('readline').createInterface({ input: process.stdin });
  for await (const line of rl) {
    if (line.startsWith('q')) break;
    const ms = [];
    for (let i = 0; i < parseInt(line, 10); i++) {
      const t = process.hrtime.bigint();
      await sess.run(feeds);
      ms.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    process.stdout.write(JSON.stringify({ times: ms }) + '\n');
  }
  await sess.release();
}

/* A child process spoken to in lines: send(line), then await next() for each line it prints
   (null once it has exited). */
function lineChild(cmd, args) {
  const ch = cp.spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines = [], waiters = [];
  let buf = '', err = '', exited = false;
  ch.stdout.setEncoding('utf8');
  ch.stdout.on('data', (d) => {
    buf += d;
    for (let i; (i = buf.indexOf('\n')) >= 0;) {
      const l = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (waiters.length) waiters.shift()(l); else lines.push(l);
    }
  });
  ch.stderr.on('data', (d) => { err += d; });
  ch.on('error', (e) => { err += e.message; });
  ch.on('close', () => { exited = true; while (waiters.length) waiters.shift()(null); });
  ch.stdin.on('error', () => {});
  return {
    send: (l) => { if (!exited) ch.stdin.write(l + '\n'); },
    next: () => new Promise((r) => { if (lines.length) r(lines.shift()); else if (exited) r(null); else waiters.push(r); }),
    err: () => err.trim().split('\n').slice(-3).join(' | '),
    /* stopped between its turns, so that its idle threads (OpenMP's and ORT's spin a while after
       each run) take nothing from the other engine's turn */
    pause: () => { if (!exited) ch.kill('SIGSTOP'); },
    resume: () => { if (!exited) ch.kill('SIGCONT'); },
    end: () => { if (!exited) { ch.kill('SIGCONT'); ch.stdin.end('q\n'); setTimeout(() => { if (!exited) ch.kill('SIGKILL'); }, 5000); } },
  };
}

/* One round of a pair in blocks (--blocks): both engines loaded and warmed up in their own processes,
   then B blocks of runs each, taking turns. Returns [inferResult, ortResult] or { error }. */
async function measureBlocks(o, m, t, sz, check) {
  const inf = lineChild(o.infer, ['bench', m.model, '-d', m.dataset, '-t', String(t), '-w', String(sz.warmup), '--serve']);
  const ortArgs = [__filename, '--shared', o.shared, '--ort-serve', m.model, m.dataset, String(t), String(sz.warmup)];
  if (check) ortArgs.push('--check');
  const ort = lineChild(process.execPath, ortArgs);
  const timer = setTimeout(() => { inf.end(); ort.end(); }, o.timeoutS * 1000);
  try {
    let a = null, l;
    while ((l = await inf.next()) !== null && l !== 'ready') {
      const lp = /load ([0-9.]+) ms, session ([0-9.]+) ms, prepare ([0-9.]+) ms/.exec(l);
      if (lp) a = { load: Number(lp[1]), session: Number(lp[2]), prepare: Number(lp[3]) };
    }
    if (l === null || !a) return { error: `infer: ${inf.err() || 'no ready line from infer bench --serve'}` };
    const bl = await ort.next();
    let b;
    try { b = JSON.parse(bl); } catch (e) { return { error: `ORT: ${ort.err() || 'no ready line from the ORT child'}` }; }
    if (b.mismatch) return { error: `ORT: output differs from the torch reference: ${b.mismatch}` };
    inf.pause();
    ort.pause();
    const per = Math.max(2, Math.ceil(sz.runs / o.blocks)) + 1; /* the first run of a block is not counted */
    const ti = [], to = [], ratios = [];
    const block = async (c, isInfer) => {
      c.resume();
      c.send(String(per));
      const r = await c.next();
      c.pause();
      if (r === null) throw new Error(`${isInfer ? 'infer' : 'ORT'}: ${c.err() || 'exited'}`);
      const xs = isInfer ? r.replace(/^times\s*/, '').trim().split(/\s+/).map(Number) : JSON.parse(r).times;
      if (xs.length !== per || xs.some((x) => !Number.isFinite(x))) throw new Error(`${isInfer ? 'infer' : 'ORT'}: bad reply ${r.slice(0, 80)}`);
      return xs.slice(1);
    };
    for (let k = 0; k < o.blocks; k++) {
      let x, y;
      if (k % 2) { y = await block(ort, false); x = await block(inf, true); } else { x = await block(inf, true); y = await block(ort, false); }
      ti.push(...x); to.push(...y);
      ratios.push(median(x) / median(y));
    }
    a.median = median(ti); a.ratio = median(ratios);
    return [a, { createMs: b.createMs, median: median(to), runs: to.length }];
  } catch (e) {
    return { error: e.message };
  } finally {
    clearTimeout(timer);
    inf.end();
    ort.end();
  }
}

/* ---- the driver -------------------------------------------------------------------------------- */
function parseArgs(argv) {
  const env = process.env;
  const list = (s) => s.split(',').map((x) => x.trim()).filter((x) => x.length);
  const o = {
    models: env.BENCH_MODELS ? list(env.BENCH_MODELS) : null,
    threads: env.BENCH_THREADS ? list(env.BENCH_THREADS).map(Number) : [1, 2],
    rounds: env.BENCH_ROUNDS ? Number(env.BENCH_ROUNDS) : 3,
    blocks: env.BENCH_BLOCKS ? Number(env.BENCH_BLOCKS) : 0,
    timeoutS: env.BENCH_TIMEOUT_S ? Number(env.BENCH_TIMEOUT_S) : 900,
    targetMs: env.BENCH_TARGET_MS ? Number(env.BENCH_TARGET_MS) : 400,
    minRuns: env.BENCH_MIN_RUNS ? Number(env.BENCH_MIN_RUNS) : 3,
    maxRuns: env.BENCH_MAX_RUNS ? Number(env.BENCH_MAX_RUNS) : 400,
    check: env.BENCH_CHECK !== '0',
    infer: 'build/infer', shared: env.SHARED || '../shared', out: 'build/bench.md', append: null, quiet: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) die(`${k} needs a value`);
      return argv[++i];
    };
    if (k === '--models') o.models = list(next());
    else if (k === '--threads') o.threads = list(next()).map(Number);
    else if (k === '--rounds') o.rounds = Number(next());
    else if (k === '--blocks') o.blocks = Number(next());
    else if (k === '--target-ms') o.targetMs = Number(next());
    else if (k === '--min-runs') o.minRuns = Number(next());
    else if (k === '--max-runs') o.maxRuns = Number(next());
    else if (k === '--timeout') o.timeoutS = Number(next());
    else if (k === '--no-check') o.check = false;
    else if (k === '--infer') o.infer = next();
    else if (k === '--shared') o.shared = next();
    else if (k === '--out') o.out = next();
    else if (k === '--append') o.append = next();
    else if (k === '-q') o.quiet = true;
    else if (k === '-h' || k === '--help') {
      process.stdout.write(fs.readFileSync(__filename, 'utf8').split('\n').filter((l) => l.startsWith('//'))
        .map((l) => l.slice(3)).join('\n') + '\n');
      process.exit(0);
    } else die(`unknown argument ${k} (--help lists the options)`);
  }
  if (!o.threads.length || o.threads.some((t) => !Number.isInteger(t) || t < 1)) die('threads must be integers >= 1');
  for (const k of ['rounds', 'minRuns', 'maxRuns']) if (!Number.isInteger(o[k]) || o[k] < 1) die(`${k} must be an integer >= 1`);
  if (!Number.isInteger(o.blocks) || o.blocks < 0) die('blocks must be an integer >= 0');
  if (!(o.targetMs > 0)) die('target-ms must be > 0');
  if (!(o.timeoutS > 0)) die('timeout must be > 0');
  if (o.maxRuns < o.minRuns) o.maxRuns = o.minRuns;
  return o;
}

function zooModels(modelsDir) {
  const tsv = path.join(modelsDir, 'manifest.tsv');
  let names = [];
  if (fs.existsSync(tsv)) {
    const lines = fs.readFileSync(tsv, 'utf8').split('\n').filter((l) => l.length);
    const head = lines[0].split('\t');
    const ni = head.indexOf('name'), si = head.indexOf('status');
    names = lines.slice(1).map((l) => l.split('\t')).filter((f) => si < 0 || f[si] === 'ok').map((f) => f[ni]);
  } else if (fs.existsSync(modelsDir)) {
    names = fs.readdirSync(modelsDir).filter((n) => fs.existsSync(path.join(modelsDir, n, 'model.onnx'))).sort();
  }
  return names;
}

function runSizes(o, est) {
  const runs = est > 0 ? Math.min(o.maxRuns, Math.max(o.minRuns, Math.ceil(o.targetMs / est))) : o.minRuns;
  return { runs, warmup: Math.min(20, Math.max(1, Math.ceil(runs / 10))) };
}

function spawn(cmd, args, timeoutS) {
  const r = cp.spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 24, timeout: timeoutS * 1000, killSignal: 'SIGKILL' });
  if (r.error) return { ok: false, why: r.error.code === 'ETIMEDOUT' ? `no result within ${timeoutS} s` : r.error.message, out: '' };
  if (r.status !== 0) {
    const tail = `${r.stderr || ''}${r.stdout || ''}`.trim().split('\n').slice(-3).join(' | ');
    return { ok: false, why: `exit ${r.status === null ? r.signal : r.status}: ${tail}`, out: r.stdout || '' };
  }
  return { ok: true, out: r.stdout, err: r.stderr };
}

function measureInfer(o, m, t, sz) {
  const r = spawn(o.infer, ['bench', m.model, '-d', m.dataset, '-t', String(t), '-n', String(sz.runs), '-w', String(sz.warmup)], o.timeoutS);
  if (!r.ok) return { error: r.why };
  const med = /median_ms=([0-9.eE+-]+)/.exec(r.out);
  const lp = /load ([0-9.]+) ms, session ([0-9.]+) ms, prepare ([0-9.]+) ms/.exec(r.out);
  if (!med || !lp) return { error: `unexpected output of infer bench: ${r.out.trim().split('\n').slice(-2).join(' | ')}` };
  return { median: Number(med[1]), load: Number(lp[1]), session: Number(lp[2]), prepare: Number(lp[3]) };
}

function measureOrt(o, m, t, sz, check) {
  const args = [__filename, '--shared', o.shared, '--ort-child', m.model, m.dataset, String(t), String(sz.runs), String(sz.warmup)];
  if (check) args.push('--check');
  const r = spawn(process.execPath, args, o.timeoutS);
  if (!r.ok) return { error: r.why };
  try {
    const j = JSON.parse(r.out.trim().split('\n').pop());
    if (j.mismatch) return { error: `ORT output differs from the torch reference: ${j.mismatch}` };
    return j;
  } catch (e) {
    return { error: `unexpected output of the ORT child: ${r.out.trim().slice(-200)}` };
  }
}

function checkInfer(o, pb, m, t) {
  const dir = path.join(path.dirname(o.out), 'bench_out', m.name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const r = spawn(o.infer, ['run', m.model, '-d', m.dataset, '-o', dir, '-t', String(t)], o.timeoutS);
  if (!r.ok) return `infer run failed: ${r.why}`;
  const outs = readTensors(pb, dir, 'output');
  const refs = readTensors(pb, m.dataset, 'output');
  const why = checkAgainst(pb, outs, refs);
  if (!why) fs.rmSync(dir, { recursive: true, force: true });
  return why ? `infer output differs from the torch reference: ${why}` : null;
}

function fmtMs(x) {
  if (!Number.isFinite(x)) return '-';
  return x >= 100 ? x.toFixed(1) : x >= 10 ? x.toFixed(2) : x >= 1 ? x.toFixed(3) : x.toFixed(4);
}
function fmtRatio(x) { return Number.isFinite(x) ? x.toFixed(2) : '-'; }
function geomean(xs) {
  const v = xs.filter((x) => Number.isFinite(x) && x > 0);
  return v.length ? Math.exp(v.reduce((s, x) => s + Math.log(x), 0) / v.length) : NaN;
}

function sh(cmd) {
  try { return cp.execSync(cmd, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(); } catch (e) { return ''; }
}

function report(o, models, res, ortVersion, started, load0, elapsedS) {
  const T = o.threads;
  const L = [];
  const cpu = (sh("grep -m1 'model name' /proc/cpuinfo") || '').replace(/^model name\s*:\s*/, '');
  const commit = sh('git rev-parse --short HEAD') + (sh('git status --porcelain --untracked-files=no') ? ' (with uncommitted changes)' : '');
  L.push('## infer vs ONNX Runtime on the reference zoo', '');
  L.push(`${started.toISOString().replace(/\.\d+Z$/, 'Z')}; ${cpu || 'cpu ?'}, ${os.cpus().length} logical CPUs; ` +
    `load average ${load0.toFixed(2)} at the start, ${os.loadavg()[0].toFixed(2)} at the end; ${elapsedS.toFixed(0)} s.`);
  L.push(`infer ${commit || '?'} (\`${o.infer} bench\`) against onnxruntime-node ${ortVersion} (graph optimisations 'all', ` +
    `intra-op threads T, sequential). ${o.rounds} round(s), interleaved: in each round every (model, threads) pair ` +
    (o.blocks > 0 ? `runs infer and ORT in two processes alive at once, taking turns in ${o.blocks} blocks of runs each ` +
      '(order alternating by block, the first run of a block not counted), same inputs ' :
      'runs infer and ORT back to back (fresh processes, order alternating by round), same inputs ') +
    '(test_data_set_0), same run counts (about ' + o.targetMs + ' ms of timed runs, ' + o.minRuns + '..' + o.maxRuns +
    ' runs, after warm-up). Latency: median over rounds of the per-round median, ms. Ratio: median over rounds of ' +
    (o.blocks > 0 ? 'the per-round ratio infer / ORT (the median over blocks of the ratio of adjacent blocks)' :
      'the per-round ratio infer / ORT (each round\'s pair ran back to back)') + '; < 1: infer is faster.', '');
  let h = '| model |', sep = '|---|';
  for (const t of T) { h += ` infer ${t}T | ORT ${t}T | infer/ORT ${t}T |`; sep += '---:|---:|---:|'; }
  L.push(h, sep);
  const ratios = T.map(() => []);
  for (const m of models) {
    let row = `| ${m.name} |`;
    T.forEach((t, ti) => {
      const r = res[m.name][t];
      const a = median(r.infer.map((x) => x.median)), b = median(r.ort.map((x) => x.median));
      /* the ratio of each round's back-to-back pair, then their median: the machine's slow and fast
         spells (tens of seconds here) hit both halves of a pair, not whole rounds alike */
      const q = median(r.infer.slice(0, r.ort.length).map((x, i) => (x.ratio !== undefined ? x.ratio : x.median / r.ort[i].median)));
      if (Number.isFinite(q)) ratios[ti].push(q);
      row += r.error && !r.infer.length ? ' error | | |' : ` ${fmtMs(a)} | ${fmtMs(b)} | ${fmtRatio(q)} |`;
    });
    L.push(row);
  }
  let g = '| **geometric mean** |';
  T.forEach((t, ti) => { g += ` | | **${fmtRatio(geomean(ratios[ti]))}** (${ratios[ti].length} models) |`; });
  L.push(g, '');
  L.push('### Time to get ready', '');
  L.push('infer ready = load + session + prepare as `infer bench` prints them (prepare plans memory, packs weights and ' +
    'runs the graph once); ORT: wall time of `InferenceSession.create` in a fresh process (includes its one-time ' +
    'environment set-up; the first run is not counted). Medians over rounds, ms.', '');
  h = '| model | infer load |'; sep = '|---|---:|';
  for (const t of T) { h += ` infer prepare ${t}T | infer ready ${t}T | ORT create ${t}T | infer/ORT ${t}T |`; sep += '---:|---:|---:|---:|'; }
  L.push(h, sep);
  const cr = T.map(() => []);
  for (const m of models) {
    const loads = [];
    for (const t of T) for (const x of res[m.name][t].infer) loads.push(x.load);
    let row = `| ${m.name} | ${fmtMs(median(loads))} |`;
    T.forEach((t, ti) => {
      const r = res[m.name][t];
      const pr = median(r.infer.map((x) => x.prepare));
      const tot = median(r.infer.map((x) => x.load + x.session + x.prepare)), oc = median(r.ort.map((x) => x.createMs));
      if (Number.isFinite(tot / oc)) cr[ti].push(tot / oc);
      row += ` ${fmtMs(pr)} | ${fmtMs(tot)} | ${fmtMs(oc)} | ${fmtRatio(tot / oc)} |`;
    });
    L.push(row);
  }
  g = '| **geometric mean** | |';
  T.forEach((t, ti) => { g += ` | | | **${fmtRatio(geomean(cr[ti]))}** |`; });
  L.push(g, '');
  const errs = [];
  for (const m of models) for (const t of T) if (res[m.name][t].error) errs.push(`- ${m.name} ${t}T: ${res[m.name][t].error}`);
  for (const m of models) if (res[m.name].checkError) errs.push(`- ${m.name}: ${res[m.name].checkError}`);
  if (errs.length) L.push('### Errors', '', ...errs, '');
  else if (o.check) L.push('Outputs of both engines matched the torch references (rtol 1e-3, atol 1e-4) in round 1.', '');
  return { md: L.join('\n') + '\n', failed: errs.length > 0 };
}

async function main() {
  const argv = process.argv.slice(2);
  const si0 = argv.indexOf('--ort-serve');
  if (si0 >= 0) {
    const si = argv.indexOf('--shared');
    await ortServe(argv.slice(si0 + 1), si >= 0 ? argv[si + 1] : (process.env.SHARED || '../shared'));
    return;
  }
  const ci = argv.indexOf('--ort-child');
  if (ci >= 0) {
    const si = argv.indexOf('--shared');
    await ortChild(argv.slice(ci + 1), si >= 0 ? argv[si + 1] : (process.env.SHARED || '../shared'));
    return;
  }
  const o = parseArgs(argv);
  const { pb, home } = kitModules(o.shared);
  const modelsDir = path.join(home.REF_HOME, 'models');
  const all = zooModels(modelsDir);
  if (!all.length) die(`no models in ${modelsDir} (run ${o.shared}/reference/setup.sh)`);
  const names = o.models || all;
  for (const n of names) if (!fs.existsSync(path.join(modelsDir, n, 'model.onnx'))) die(`no model ${n} in ${modelsDir}`);
  if (!fs.existsSync(o.infer)) die(`${o.infer} not built (make build/infer)`);
  let ortVersion = '?';
  try { ortVersion = JSON.parse(fs.readFileSync(path.join(home.ORT_MODULE, 'package.json'), 'utf8')).version; } catch (e) { die(`onnxruntime-node not found at ${home.ORT_MODULE}`); }
  const models = names.map((name) => ({ name, model: path.join(modelsDir, name, 'model.onnx'), dataset: path.join(modelsDir, name, 'test_data_set_0') }));
  const res = {};
  for (const m of models) {
    res[m.name] = {};
    for (const t of o.threads) res[m.name][t] = { infer: [], ort: [], error: null, est: 0 };
  }
  const started = new Date(), load0 = os.loadavg()[0], t0 = Date.now();
  const log = (s) => { if (!o.quiet) process.stderr.write(s + '\n'); };
  log(`bench: ${models.length} model(s), threads ${o.threads.join(',')}, ${o.rounds} round(s), infer ${o.infer}, onnxruntime-node ${ortVersion}`);
  for (let round = 1; round <= o.rounds; round++) {
    for (const m of models) {
      if (round === 1 && o.check) {
        const why = checkInfer(o, pb, m, o.threads[0]);
        if (why) { res[m.name].checkError = why; log(`${m.name}: ${why}`); }
      }
      for (const t of o.threads) {
        const r = res[m.name][t];
        if (r.error) continue;
        const sz = runSizes(o, r.est);
        const doInfer = () => {
          const x = measureInfer(o, m, t, sz);
          if (x.error) r.error = (r.error ? r.error + '; ' : '') + `infer: ${x.error}`; else r.infer.push(x);
          return x;
        };
        const doOrt = () => {
          const x = measureOrt(o, m, t, sz, round === 1 && o.check && t === o.threads[0]);
          if (x.error) r.error = (r.error ? r.error + '; ' : '') + `ORT: ${x.error}`; else r.ort.push(x);
          return x;
        };
        let a, b;
        if (o.blocks > 0) {
          const x = await measureBlocks(o, m, t, sz, round === 1 && o.check && t === o.threads[0]);
          if (x.error) r.error = x.error; else { [a, b] = x; r.infer.push(a); r.ort.push(b); }
        } else if (round % 2) { a = doInfer(); b = doOrt(); } else { b = doOrt(); a = doInfer(); }
        if (r.error) { log(`${m.name} ${t}T round ${round}: ${r.error}`); continue; }
        r.est = Math.max(a.median, b.median);
        log(`r${round} ${m.name.padEnd(22)} ${t}T  infer ${fmtMs(a.median).padStart(8)} ms  ORT ${fmtMs(b.median).padStart(8)} ms  ` +
          `ratio ${fmtRatio(a.median / b.median)}  (n=${sz.runs}; infer ready ${fmtMs(a.load + a.session + a.prepare)} ms, ORT create ${fmtMs(b.createMs)} ms)`);
      }
    }
  }
  const { md, failed } = report(o, models, res, ortVersion, started, load0, (Date.now() - t0) / 1000);
  let text = md;
  if (o.append && fs.existsSync(o.append)) text += '\n' + fs.readFileSync(o.append, 'utf8');
  fs.mkdirSync(path.dirname(path.resolve(o.out)), { recursive: true });
  fs.writeFileSync(o.out, text);
  process.stdout.write(md);
  if (failed) {
    process.stderr.write('bench: some models failed (see Errors above)\n');
    process.exit(1);
  }
}

main().catch((e) => {
  process.stderr.write(`bench.js: ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
