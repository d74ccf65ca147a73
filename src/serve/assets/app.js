// fzlint serve: the page's logic. No external code, no network calls but
// to this server. Server content is always inserted as text, never as HTML.
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);

  const SEVERITIES = {
    error: { label: '错误', rank: 3 },
    warning: { label: '警告', rank: 2 },
    info: { label: '提示', rank: 1 },
  };
  const PARTS = [
    ['measures', '主要举措和成效'],
    ['first-responsible', '党政主要负责人履行第一责任人职责情况'],
    ['shortcomings', '存在的不足和原因'],
    ['next-year-plan', '下一年度推进法治政府建设的主要安排'],
  ];
  const NUMERAL_LEVEL_LABEL = { 1: '一级标题', 2: '二级标题', 3: '三级标题', 4: '四级标题' };

  const state = {
    info: null,
    rules: new Map(),
    // What was submitted last: {kind: 'file', file} or {kind: 'text', name, text}.
    source: null,
    // The last answer of /api/analyze.
    analyzed: null,
    diagnostics: [],
    urls: [],
  };

  // ---------------------------------------------------------------- helpers

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === null || v === undefined || v === false) continue;
        if (k === 'class') node.className = v;
        else if (k === 'text') node.textContent = v;
        else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
        else node.setAttribute(k, v === true ? '' : String(v));
      }
    }
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  // UTF-8 byte offsets (as in the JSON) → UTF-16 indices (as in JS strings).
  // One pass over the text; an offset inside a character snaps to the end
  // of that character; offsets past the end map to the end.
  function utf16Offsets(text, byteOffsets) {
    const targets = Array.from(new Set(byteOffsets)).sort((a, b) => a - b);
    const out = new Map();
    let bytes = 0;
    let i = 0;
    let t = 0;
    while (t < targets.length) {
      while (t < targets.length && targets[t] <= bytes) out.set(targets[t++], i);
      if (i >= text.length) break;
      const cp = text.codePointAt(i);
      bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      i += cp > 0xffff ? 2 : 1;
    }
    while (t < targets.length) out.set(targets[t++], text.length);
    return out;
  }

  function setStatus(text, busy) {
    const s = $('status');
    s.textContent = text || '';
    s.classList.toggle('busy', !!busy);
  }

  function showError(title, detail) {
    const e = $('error');
    clear(e);
    e.append(el('strong', { text: title }));
    if (detail) e.append(el('span', { text: detail }));
    e.hidden = false;
  }

  function hideError() {
    $('error').hidden = true;
  }

  function formatBytes(n) {
    if (n >= 1024 * 1024) return (n / 1024 / 1024).toFixed(1).replace(/\.0$/, '') + ' MB';
    if (n >= 1024) return Math.round(n / 1024) + ' KB';
    return n + ' 字节';
  }

  // POST to the API; resolves to the parsed JSON or throws {title, detail}.
  async function post(url, body, headers) {
    let res;
    try {
      res = await fetch(url, { method: 'POST', body, headers });
    } catch (e) {
      throw { title: '无法连接到 fzlint 服务', detail: '请确认运行 fzlint serve 的窗口没有关闭，然后重试。' };
    }
    let data = null;
    try {
      data = await res.json();
    } catch (e) {
      data = null;
    }
    if (res.ok && data) return data;
    const fileError = data && ((data.report && data.report.files && data.report.files[0] && data.report.files[0].error) ||
      (data.files && data.files[0] && data.files[0].error));
    const message = (data && typeof data.error === 'string' && data.error) || fileError || ('服务器返回了 HTTP ' + res.status);
    const titles = {
      413: '文件过大',
      422: '无法读取这个文件',
      415: '提交方式有误',
      503: '服务繁忙',
      504: '处理超时',
      500: '程序内部出错',
    };
    throw { title: titles[res.status] || '检查失败', detail: message, status: res.status };
  }

  // ------------------------------------------------------------ submitting

  function formFor(source) {
    if (source.kind === 'file') {
      const fd = new FormData();
      fd.append('file', source.file, source.file.name);
      return { body: fd, headers: undefined };
    }
    return {
      body: JSON.stringify({ name: source.name, text: source.text }),
      headers: { 'Content-Type': 'application/json' },
    };
  }

  function sourceName(source) {
    return source.kind === 'file' ? source.file.name : source.name;
  }

  async function analyze(source) {
    hideError();
    const limit = state.info ? state.info.max_upload_bytes : 20 * 1024 * 1024;
    const size = source.kind === 'file' ? source.file.size : new Blob([source.text]).size;
    if (size > limit) {
      showError('文件过大', '“' + sourceName(source) + '”有 ' + formatBytes(size) + '，上传上限为 ' + formatBytes(limit) + '，请拆分文件或删去图片后再试。');
      return;
    }
    setStatus('正在检查“' + sourceName(source) + '”……', true);
    setBusy(true);
    const started = performance.now();
    try {
      const { body, headers } = formFor(source);
      const data = await post('/api/analyze', body, headers);
      state.source = source;
      render(data);
      const s = data.report.summary;
      const ms = Math.round(performance.now() - started);
      setStatus('检查完成：“' + sourceName(source) + '”，错误 ' + s.errors + ' 处，警告 ' + s.warnings + ' 处，提示 ' + s.infos + ' 处（用时 ' + ms + ' 毫秒）。');
    } catch (e) {
      setStatus('');
      showError(e.title || '检查失败', e.detail || String(e));
    } finally {
      setBusy(false);
    }
  }

  function setBusy(busy) {
    document.body.setAttribute('aria-busy', busy ? 'true' : 'false');
    $('check-paste').disabled = busy;
    $('fix-btn').disabled = busy || !(state.analyzed && state.analyzed.fixable > 0);
  }

  // -------------------------------------------------------------- rendering

  function render(data) {
    state.analyzed = data;
    const file = data.report.files[0];
    const text = data.text || '';
    state.diagnostics = file.diagnostics.map((d, k) => ({ ...d, k }));
    $('fix-panel').hidden = true;
    renderSummary(data.report.summary);
    renderMeta(file, data);
    renderReport(text, state.diagnostics, data.origins);
    renderParts(file);
    renderOutline(file.outline);
    renderFindings(state.diagnostics, data.origins);
    $('filters').disabled = false;
    for (const sev of Object.keys(SEVERITIES)) {
      document.querySelector('[data-count="' + sev + '"]').textContent = String(state.diagnostics.filter((d) => d.severity === sev).length);
    }
    applyFilters();
    const fixBtn = $('fix-btn');
    fixBtn.disabled = !(data.fixable > 0);
    fixBtn.textContent = data.fixable > 0 ? '应用安全修复（' + data.fixable + ' 处）' : '没有可自动修复的问题';
  }

  function renderSummary(s) {
    const box = $('summary');
    clear(box);
    if (s.errors + s.warnings + s.infos === 0) {
      box.append(el('span', { class: 'badge ok', text: '没有发现问题' }));
      return;
    }
    box.append(
      el('span', { class: 'badge sev-error', text: '错误 ' + s.errors }),
      el('span', { class: 'badge sev-warning', text: '警告 ' + s.warnings }),
      el('span', { class: 'badge sev-info', text: '提示 ' + s.infos }),
    );
  }

  function renderMeta(file, data) {
    const parts = [file.path];
    if (data.format_label) parts.push(data.format_label);
    if (file.report_year) parts.push(file.report_year + ' 年度');
    if (file.title) parts.push('标题：' + file.title.text);
    $('doc-meta').textContent = parts.join(' · ');
    $('doc-meta').title = parts.join(' · ');
  }

  function severityRank(sev) {
    return (SEVERITIES[sev] || SEVERITIES.info).rank;
  }

  // The text, one element per line, every finding's span wrapped in <mark>
  // coloured by the most severe finding covering it.
  function renderReport(text, diags, origins) {
    const report = $('report');
    clear(report);
    const offsets = [];
    for (const d of diags) offsets.push(d.offset, d.offset + d.length);
    const map = utf16Offsets(text, offsets);
    const starts = new Map();
    const ends = new Map();
    const points = new Map();
    const cuts = new Set([0, text.length]);
    for (const d of diags) {
      d.start = map.get(d.offset);
      d.end = map.get(d.offset + d.length);
      if (d.end <= d.start) {
        if (!points.has(d.start)) points.set(d.start, []);
        points.get(d.start).push(d);
        cuts.add(d.start);
        continue;
      }
      if (!starts.has(d.start)) starts.set(d.start, []);
      starts.get(d.start).push(d);
      if (!ends.has(d.end)) ends.set(d.end, []);
      ends.get(d.end).push(d);
      cuts.add(d.start);
      cuts.add(d.end);
    }
    const sorted = Array.from(cuts).sort((a, b) => a - b);
    const active = new Set();
    let lineNo = 1;
    const frag = document.createDocumentFragment();
    const newLine = () => {
      const origin = origins && origins[lineNo - 1];
      const div = el('div', { class: 'line', 'data-line': String(lineNo), id: 'L' + lineNo, title: origin ? '原文' + origin : null });
      frag.append(div);
      return div;
    };
    let line = newLine();
    for (let j = 0; j < sorted.length; j++) {
      const at = sorted[j];
      for (const d of ends.get(at) || []) active.delete(d);
      for (const d of starts.get(at) || []) active.add(d);
      for (const d of points.get(at) || []) line.append(markFor([d], '', true));
      const next = j + 1 < sorted.length ? sorted[j + 1] : at;
      if (next <= at) continue;
      const pieces = text.slice(at, next).split('\n');
      pieces.forEach((piece, p) => {
        if (p > 0) {
          lineNo += 1;
          line = newLine();
        }
        const shown = piece.replace(/\r/g, '');
        if (!shown) return;
        if (active.size === 0) line.append(document.createTextNode(shown));
        else line.append(markFor(Array.from(active), shown, false));
      });
    }
    report.append(frag);
    report.scrollTop = 0;
  }

  function markFor(ds, text, point) {
    let top = ds[0];
    for (const d of ds) if (severityRank(d.severity) > severityRank(top.severity)) top = d;
    const sevs = new Set(ds.map((d) => d.severity));
    const only = sevs.size === 1 ? ' only-' + top.severity : '';
    const title = ds.map((d) => SEVERITIES[d.severity].label + '：' + d.message).join('\n');
    const m = el('mark', {
      class: 'sev-' + top.severity + only + (point ? ' point' : ''),
      'data-f': ds.map((d) => d.k).join(' '),
      'data-rules': Array.from(new Set(ds.map((d) => d.rule))).join(' '),
      title,
      'aria-label': point ? title : null,
    });
    if (text) m.textContent = text;
    m.addEventListener('click', () => selectFinding(ds[0].k, false));
    return m;
  }

  function renderParts(file) {
    const ul = $('parts');
    clear(ul);
    for (const [key, label] of PARTS) {
      const s = file.sections ? file.sections[key] : null;
      const st = !s ? 'missing' : s.as_heading ? 'found' : 'inline';
      const icon = { found: '✓', inline: '△', missing: '✗' }[st];
      const words = { found: '已找到', inline: '仅在正文中提及，没有单列', missing: '缺失' }[st];
      const detail = el('span', { class: 'part-state' }, words);
      if (s) {
        detail.append('：');
        detail.append(el('button', {
          type: 'button', class: 'link', text: '第' + s.line + '行 ' + shorten(s.heading, 22),
          onclick: () => jumpToLine(s.line),
        }));
      }
      ul.append(el('li', { 'data-part': key, 'data-state': st },
        el('span', { class: 'icon', 'aria-hidden': 'true', text: icon }),
        el('span', null, el('span', { class: 'part-name', text: label }), el('span', { class: 'visually-hidden', text: '：' }), detail)));
    }
  }

  function shorten(s, n) {
    const chars = Array.from(s || '');
    return chars.length > n ? chars.slice(0, n).join('') + '…' : chars.join('');
  }

  function renderOutline(outline) {
    const nav = $('outline');
    clear(nav);
    if (!outline || outline.length === 0) {
      nav.append(el('p', { class: 'placeholder', text: '没有识别到标题（一、（一）1.（1））' }));
      return;
    }
    const root = el('ul', { role: 'list' });
    // Open headings, outermost first: {level, li, sub}.
    const stack = [];
    for (const h of outline) {
      while (stack.length && stack[stack.length - 1].level >= h.level) stack.pop();
      let parent = root;
      if (stack.length) {
        const top = stack[stack.length - 1];
        if (!top.sub) {
          top.sub = el('ul', { role: 'list' });
          top.li.append(top.sub);
        }
        parent = top.sub;
      }
      const li = el('li', { class: 'level-' + h.level, 'data-level': String(h.level) },
        el('button', {
          type: 'button', class: 'link', 'aria-label': (NUMERAL_LEVEL_LABEL[h.level] || '标题') + ' ' + h.marker + h.title + '，第' + h.line + '行',
          onclick: () => jumpToLine(h.line),
        }, h.marker + shorten(h.title, 24), el('span', { class: 'line-no', 'aria-hidden': 'true', text: h.line })));
      parent.append(li);
      stack.push({ level: h.level, li, sub: null });
    }
    nav.append(root);
  }

  function groupByRule(diags) {
    const groups = new Map();
    for (const d of diags) {
      if (!groups.has(d.rule)) groups.set(d.rule, []);
      groups.get(d.rule).push(d);
    }
    const order = Array.from(state.rules.keys());
    return Array.from(groups.entries()).sort((a, b) => {
      const ra = Math.max(...a[1].map((d) => severityRank(d.severity)));
      const rb = Math.max(...b[1].map((d) => severityRank(d.severity)));
      if (ra !== rb) return rb - ra;
      return order.indexOf(a[0]) - order.indexOf(b[0]);
    });
  }

  function renderFindings(diags, origins) {
    const box = $('findings');
    clear(box);
    if (diags.length === 0) {
      box.append(el('p', { class: 'no-findings', text: '没有发现问题。' }));
      return;
    }
    for (const [rule, ds] of groupByRule(diags)) {
      const meta = state.rules.get(rule);
      const worst = ds.reduce((w, d) => (severityRank(d.severity) > severityRank(w) ? d.severity : w), 'info');
      const headId = 'g-' + rule;
      const group = el('section', { class: 'group', 'data-rule': rule, 'aria-labelledby': headId });
      group.append(el('div', { class: 'group-head' },
        el('span', { class: 'badge sev-' + worst, text: SEVERITIES[worst].label }),
        el('h3', { id: headId, class: 'rule-id', text: rule }),
        el('span', { class: 'count', text: ds.length + ' 处' }),
        el('a', { href: '#rule/' + rule, 'aria-label': '规则 ' + rule + ' 的说明', text: '规则说明' }),
        meta ? el('span', { class: 'rule-summary', text: meta.summary }) : null));
      const ol = el('ol');
      for (const d of ds) {
        const origin = origins && origins[d.line - 1];
        const where = '第' + d.line + '行' + (origin ? '（' + origin + '）' : '');
        const li = el('li', { class: 'finding sev-' + d.severity, 'data-k': String(d.k), 'data-severity': d.severity },
          el('button', { type: 'button', class: 'finding-btn', onclick: () => selectFinding(d.k, true) },
            el('span', { class: 'badge sev-' + d.severity, text: SEVERITIES[d.severity].label }), ' ',
            el('span', { class: 'where', text: where }),
            el('span', { class: 'message', text: d.message }),
            d.fix ? el('span', { class: 'tag', text: '可自动修复' }) : null),
          d.help ? el('p', { class: 'help', text: d.help }) : null);
        ol.append(li);
      }
      group.append(ol);
      box.append(group);
    }
  }

  function selectFinding(k, fromList) {
    document.querySelectorAll('mark.current').forEach((m) => m.classList.remove('current'));
    document.querySelectorAll('.finding.current').forEach((m) => m.classList.remove('current'));
    const marks = Array.from(document.querySelectorAll('#report mark')).filter((m) => m.dataset.f.split(' ').includes(String(k)));
    marks.forEach((m) => m.classList.add('current'));
    const item = document.querySelector('.finding[data-k="' + k + '"]');
    if (item) item.classList.add('current');
    if (fromList) {
      if (marks[0]) {
        marks[0].scrollIntoView({ block: 'center' });
        marks[0].setAttribute('tabindex', '-1');
        marks[0].focus({ preventScroll: true });
      } else {
        const d = state.diagnostics[k];
        if (d) jumpToLine(d.line);
      }
    } else if (item) {
      item.scrollIntoView({ block: 'nearest' });
    }
  }

  function jumpToLine(n) {
    const line = document.getElementById('L' + n);
    if (!line) return;
    line.scrollIntoView({ block: 'center' });
    line.classList.add('flash');
    setTimeout(() => line.classList.remove('flash'), 1200);
    line.setAttribute('tabindex', '-1');
    line.focus({ preventScroll: true });
  }

  function applyFilters() {
    const shown = {};
    document.querySelectorAll('#filters input').forEach((cb) => { shown[cb.value] = cb.checked; });
    const report = $('report');
    for (const sev of Object.keys(SEVERITIES)) report.classList.toggle('hide-' + sev, !shown[sev]);
    document.querySelectorAll('.finding').forEach((li) => li.classList.toggle('hidden-by-filter', !shown[li.dataset.severity]));
    document.querySelectorAll('.group').forEach((g) => {
      const visible = g.querySelectorAll('.finding:not(.hidden-by-filter)').length > 0;
      g.classList.toggle('hidden-by-filter', !visible);
    });
  }

  // ----------------------------------------------------------------- fixes

  async function applyFixes() {
    if (!state.source) return;
    hideError();
    setStatus('正在应用安全修复……', true);
    setBusy(true);
    try {
      // Fix exactly the text that was checked.
      const source = { kind: 'text', name: sourceName(state.source), text: state.analyzed.text };
      const textName = /\.(txt|text|md|markdown)$/i.test(source.name) ? source.name : source.name + '.txt';
      const { body, headers } = formFor({ kind: 'text', name: textName, text: source.text });
      const data = await post('/api/fix', body, headers);
      showFix(data, source.name);
      setStatus(data.changed ? '已应用 ' + data.applied + ' 处安全修复。' : '没有可自动修复的内容。');
    } catch (e) {
      setStatus('');
      showError(e.title || '修复失败', e.detail || String(e));
    } finally {
      setBusy(false);
    }
  }

  function blobUrl(text, type) {
    const url = URL.createObjectURL(new Blob([text], { type }));
    state.urls.push(url);
    return url;
  }

  function showFix(data, originalName) {
    for (const u of state.urls.splice(0)) URL.revokeObjectURL(u);
    const panel = $('fix-panel');
    panel.hidden = false;
    $('fix-summary').textContent = data.changed
      ? '已修复 ' + data.applied + ' 处（只改标点、空格、文号括号等不改变文意之处）。其余问题需要人工修改。'
      : '没有可自动修复之处。';
    const writableSource = state.analyzed && state.analyzed.writable;
    const note = $('fix-note');
    note.hidden = !!writableSource;
    note.textContent = writableSource ? '' : '“' + originalName + '”是' + (state.analyzed.format_label || '非文本') + '文件，不能直接改写：修复后的文本是从文件中提取的纯文本，请对照差异在原文件中修改。';
    const stem = originalName.replace(/\.[^.]*$/, '') || originalName;
    const fixedName = writableSource ? data.download_name : stem + '-已修复.txt';
    const dl = $('download-fixed');
    dl.href = blobUrl(data.text, 'text/plain;charset=utf-8');
    dl.download = fixedName;
    dl.textContent = '下载修复后的文本（' + fixedName + '）';
    const dd = $('download-diff');
    dd.href = blobUrl(data.diff, 'text/x-diff;charset=utf-8');
    dd.download = stem + '.diff';
    dd.hidden = !data.diff;
    const pre = $('diff');
    clear(pre);
    for (const line of data.diff.split('\n')) {
      const cls = line.startsWith('@@') ? 'hunk' : line.startsWith('+') && !line.startsWith('+++') ? 'add' : line.startsWith('-') && !line.startsWith('---') ? 'del' : null;
      pre.append(cls ? el('span', { class: cls, text: line }) : document.createTextNode(line + '\n'));
    }
    state.fixed = { name: originalName, text: data.text };
    $('recheck-fixed').disabled = !data.changed;
    panel.scrollIntoView({ block: 'nearest' });
  }

  function recheckFixed() {
    if (!state.fixed) return;
    const base = state.fixed.name.replace(/\.[^.]*$/, '') || state.fixed.name;
    const keep = /\.(txt|text|md|markdown)$/i.test(state.fixed.name) && state.analyzed && state.analyzed.writable;
    analyze({ kind: 'text', name: keep ? state.fixed.name : base + '-已修复.txt', text: state.fixed.text }).then(() => {
      $('fix-panel').hidden = true;
    });
  }

  // ------------------------------------------------------- rule explanations

  function openRuleFromHash() {
    const m = /^#rule\/([a-z0-9-]+)$/.exec(location.hash);
    if (!m) return;
    const rule = state.rules.get(m[1]);
    if (!rule) return;
    $('rule-title').textContent = rule.id + '：' + rule.summary;
    const body = $('rule-body');
    clear(body);
    body.append(
      el('p', { class: 'meta', text: rule.category_label + ' · 默认级别：' + rule.severity_label + (rule.fixable ? ' · 可自动修复' : '') }),
      el('h3', { text: '规则说明' }), el('p', { text: rule.docs.what }),
      el('h3', { text: '为什么' }), el('p', { text: rule.docs.why }),
      el('h3', { text: '错误示例' }), el('pre', { text: rule.docs.bad }),
      el('h3', { text: '正确示例' }), el('pre', { text: rule.docs.good }),
      el('h3', { text: '依据' }), el('p', { text: rule.docs.basis }),
    );
    const dlg = $('rule-dialog');
    if (!dlg.open) dlg.showModal();
    $('rule-close').focus();
  }

  function closeRule() {
    const dlg = $('rule-dialog');
    if (dlg.open) dlg.close();
  }

  // ------------------------------------------------------------------ setup

  async function loadInfo() {
    try {
      const [info, rules] = await Promise.all([
        fetch('/api/info').then((r) => r.json()),
        fetch('/api/rules').then((r) => r.json()),
      ]);
      state.info = info;
      $('version').textContent = info.version;
      $('limit').textContent = info.max_upload;
      for (const r of rules) state.rules.set(r.id, r);
      openRuleFromHash();
    } catch (e) {
      showError('无法连接到 fzlint 服务', '请确认运行 fzlint serve 的窗口没有关闭，然后刷新页面。');
    }
  }

  function setup() {
    const input = $('file-input');
    input.addEventListener('change', () => {
      if (input.files && input.files[0]) analyze({ kind: 'file', file: input.files[0] });
      input.value = '';
    });
    const drop = $('drop');
    ['dragenter', 'dragover'].forEach((t) => drop.addEventListener(t, (e) => { e.preventDefault(); drop.classList.add('dragging'); }));
    ['dragleave', 'drop'].forEach((t) => drop.addEventListener(t, () => drop.classList.remove('dragging')));
    drop.addEventListener('drop', (e) => {
      e.preventDefault();
      const f = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
      if (f) analyze({ kind: 'file', file: f });
    });
    $('check-paste').addEventListener('click', () => {
      const text = $('paste').value;
      if (!text.trim()) {
        showError('没有内容', '请先在文本框中粘贴报告全文。');
        return;
      }
      analyze({ kind: 'text', name: '粘贴的文本.txt', text });
    });
    $('paste').addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) $('check-paste').click();
    });
    $('fix-btn').addEventListener('click', applyFixes);
    $('recheck-fixed').addEventListener('click', recheckFixed);
    $('filters').addEventListener('change', applyFilters);
    $('rule-close').addEventListener('click', closeRule);
    $('rule-dialog').addEventListener('close', () => {
      if (location.hash.startsWith('#rule/')) history.replaceState(null, '', location.pathname);
    });
    window.addEventListener('hashchange', openRuleFromHash);
    loadInfo();
  }

  // For tests: the offset conversion.
  window.fzlintPage = { utf16Offsets };

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', setup);
  else setup();
})();
