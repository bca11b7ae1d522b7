/* tthc-monitor board: one script for every page, no framework, no build step.
 *
 * The server answers every page route with the same shell; <body data-page> says which page
 * this is (overview, unit, worklist, dossier, reports; ?tv=1 on the overview is the
 * meeting-room screen). Every page polls /api/v1/overview for freshness and, when its
 * "version" changes, fetches again what it shows. Text from the data is only ever put in the
 * page with textContent / text nodes (never parsed as HTML), and nothing here writes to the
 * console: problems are shown on the page.
 */
(() => {
  'use strict';

  // ---------------------------------------------------------------------------------------
  // Language, links
  // ---------------------------------------------------------------------------------------

  const LANG = document.documentElement.lang === 'en' ? 'en' : 'vi';
  const L = (vi, en) => (LANG === 'en' ? en : vi);
  const PARAMS = new URLSearchParams(location.search);
  // Links keep the language the page was opened with: an explicit ?lang= is kept as is, an
  // English page chosen from Accept-Language asks for English explicitly.
  const LINK_LANG = ['vi', 'en'].includes(PARAMS.get('lang'))
    ? PARAMS.get('lang')
    : LANG === 'en' ? 'en' : null;

  const PRODUCT = L('Giám sát thời gian giải quyết TTHC',
    'Administrative procedure processing-time monitor');

  function query(params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params || {})) {
      if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
    }
    return q;
  }
  function withQuery(path, q) {
    const s = q.toString();
    return s ? `${path}?${s}` : path;
  }
  /** A link to a page of the board, keeping the language. */
  function pageUrl(path, params) {
    const q = query(params);
    if (LINK_LANG) q.set('lang', LINK_LANG);
    return withQuery(path, q);
  }
  /** A JSON endpoint (relative: same origin only). */
  function apiUrl(path, params) {
    return withQuery(path, query(params));
  }
  /** A picture drawn by the server: in the page's language, cache-busted by the version. */
  function svgUrl(path, params) {
    const q = query(params);
    q.set('lang', LANG);
    if (app.version !== null) q.set('v', String(app.version));
    return withQuery(path, q);
  }
  const unitPath = (code) => `/units/${encodeURIComponent(code)}`;
  const dossierPath = (code) => `/dossiers/${encodeURIComponent(code)}`;

  /** The part of the path after a prefix, percent-decoded ("" when it does not decode). */
  function pathTail(prefix) {
    let tail = location.pathname.startsWith(prefix) ? location.pathname.slice(prefix.length) : '';
    tail = tail.replace(/\/+$/, '');
    try {
      return decodeURIComponent(tail);
    } catch (e) {
      return tail;
    }
  }

  // ---------------------------------------------------------------------------------------
  // DOM
  // ---------------------------------------------------------------------------------------

  /** createElement with attributes and children; strings become text nodes. */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === undefined || v === null || v === false) continue;
        if (k === 'class') el.className = v;
        else if (k === 'text') el.textContent = String(v);
        else if (k === 'on') for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
        else el.setAttribute(k, v === true ? '' : String(v));
      }
    }
    append(el, children);
    return el;
  }
  function append(el, children) {
    for (const c of children.flat(Infinity)) {
      if (c === undefined || c === null || c === false) continue;
      el.append(c instanceof Node ? c : String(c));
    }
    return el;
  }
  /** Replaces an element's children (arrays are flattened, strings become text). */
  function fill(el, ...children) {
    el.replaceChildren();
    return append(el, children);
  }
  /** Rebuilds a part of the page and gives the keyboard focus back to the same link in it. */
  function keepFocus(container, rebuild) {
    const active = document.activeElement;
    const href = active && container.contains(active) && active.tagName === 'A' ? active.getAttribute('href') : null;
    rebuild();
    if (href) {
      const again = Array.from(container.querySelectorAll('a[href]')).find((a) => a.getAttribute('href') === href);
      if (again) again.focus({ preventScroll: true });
    }
  }
  /** True when `value` differs from what was last seen under `key` of `holder`. */
  function changedSince(holder, key, value) {
    const sig = JSON.stringify(value);
    if (holder[key] === sig) return false;
    holder[key] = sig;
    return true;
  }
  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));

  function link(href, ...children) {
    return h('a', { href }, ...children);
  }
  /** A visually hidden text for screen readers. */
  const sr = (text) => h('span', { class: 'sr-only' }, text);
  /** An icon that is decoration only (its meaning is always written beside it). */
  const icon = (ch, cls) => h('span', { class: `icon ${cls || ''}`.trim(), 'aria-hidden': 'true' }, ch);

  // ---------------------------------------------------------------------------------------
  // Numbers, dates, working time
  // ---------------------------------------------------------------------------------------

  const DEC = L(',', '.');
  const GROUP = L('.', ',');
  const isNum = (x) => typeof x === 'number' && Number.isFinite(x);

  function fmtNum(x, digits) {
    if (!isNum(x)) return '—';
    const [i, f] = Math.abs(x).toFixed(digits || 0).split('.');
    const s = i.replace(/\B(?=(\d{3})+(?!\d))/g, GROUP) + (f ? DEC + f : '');
    return x < 0 && /[1-9]/.test(s) ? `-${s}` : s;
  }
  const fmtInt = (x) => fmtNum(x, 0);
  /** 0.9484 → "94,84 %" (vi), "94.84 %" (en). */
  const fmtPct = (r) => (isNum(r) ? `${fmtNum(r * 100, 2)} %` : '—');
  /** Up to `max` decimals, trailing zeros dropped: 18.2 → "18,2". */
  function fmtDec(x, max) {
    if (!isNum(x)) return '—';
    let s = fmtNum(x, max === undefined ? 2 : max);
    if (s.includes(DEC)) s = s.replace(/0+$/, '').replace(/[.,]$/, '');
    return s;
  }

  const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?/;
  /** dd/MM/yyyy HH:mm from the server's ISO 8601 (Vietnam time as written, not converted). */
  function fmtMoment(s) {
    const m = ISO.exec(s || '');
    if (!m) return s ? String(s) : '—';
    return m[4] === undefined ? `${m[3]}/${m[2]}/${m[1]}` : `${m[3]}/${m[2]}/${m[1]} ${m[4]}:${m[5]}`;
  }
  function fmtDay(s) {
    const m = ISO.exec(s || '');
    return m ? `${m[3]}/${m[2]}/${m[1]}` : s ? String(s) : '—';
  }
  function timeEl(s, dayOnly) {
    if (!s) return h('span', { class: 'muted' }, '—');
    return h('time', { datetime: s }, dayOnly ? fmtDay(s) : fmtMoment(s));
  }
  const WEEKDAYS = L(['Chủ nhật', 'Thứ hai', 'Thứ ba', 'Thứ tư', 'Thứ năm', 'Thứ sáu', 'Thứ bảy'],
    ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']);
  function weekday(s) {
    const m = ISO.exec(s || '');
    if (!m) return '';
    return WEEKDAYS[new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])).getUTCDay()];
  }
  /** The day before a date (a period's "to" is exclusive). */
  function dayBefore(s) {
    const m = ISO.exec(s || '');
    if (!m) return s;
    const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]) - 86400000);
    return d.toISOString().slice(0, 10);
  }
  const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
    'September', 'October', 'November', 'December'];
  /** "2026-12" → "tháng 12/2026" / "December 2026". */
  function fmtMonth(ym) {
    const m = /^(\d{4})-(\d{2})/.exec(ym || '');
    if (!m) return ym || '';
    return L(`tháng ${m[2]}/${m[1]}`, `${MONTHS_EN[+m[2] - 1]} ${m[1]}`);
  }
  const capital = (s) => (s ? s.charAt(0).toUpperCase() + s.slice(1) : s);

  function workParts(seconds) {
    const day = app.day > 0 ? app.day : 27000;
    const a = Math.abs(Math.round(seconds));
    const d = Math.floor(a / day);
    let r = a - d * day;
    const hh = Math.floor(r / 3600);
    r -= hh * 3600;
    return { a, d, hh, mm: Math.floor(r / 60) };
  }
  /** "1 ngày 2 giờ" / "1 working day 2 h" (days are working days of day_seconds). */
  function workSpan(seconds) {
    const { a, d, hh, mm } = workParts(seconds);
    const out = [];
    if (d) out.push(L(`${fmtInt(d)} ngày`, `${fmtInt(d)} working day${d === 1 ? '' : 's'}`));
    if (hh) out.push(L(`${hh} giờ`, `${hh} h`));
    if (mm) out.push(L(`${mm} phút`, `${mm} min`));
    if (!out.length) out.push(a > 0 ? L('dưới 1 phút', 'under 1 min') : L('0 phút', '0 min'));
    return out.join(' ');
  }
  /** "còn 1 ngày 2 giờ làm việc" / "quá hạn 3 giờ 15 phút làm việc". */
  function workLeft(seconds) {
    if (!isNum(seconds)) return L('không có hạn', 'no due date');
    const s = workSpan(seconds);
    return seconds >= 0 ? L(`còn ${s} làm việc`, `${s} left`)
      : L(`quá hạn ${s} làm việc`, `${s} overdue (working time)`);
  }
  /** A length of working time with no direction: "2 giờ 30 phút làm việc". */
  function workDuration(seconds) {
    if (!isNum(seconds)) return '—';
    const s = workSpan(seconds);
    return L(`${s} làm việc`, workParts(seconds).d ? s : `${s} (working time)`);
  }
  function ago(seconds) {
    if (!isNum(seconds)) return '—';
    const s = Math.max(0, Math.round(seconds));
    if (s < 60) return L(`${s} giây trước`, `${s} s ago`);
    if (s < 3600) return L(`${Math.floor(s / 60)} phút trước`, `${Math.floor(s / 60)} min ago`);
    if (s < 86400) return L(`${Math.floor(s / 3600)} giờ trước`, `${Math.floor(s / 3600)} h ago`);
    const d = Math.floor(s / 86400);
    return L(`${fmtInt(d)} ngày trước`, `${fmtInt(d)} day${d === 1 ? '' : 's'} ago`);
  }

  /** A number for people and the raw JSON value for tests: <span data-value="1304">1.304</span>. */
  function valueEl(raw, text, cls) {
    return h('span', { class: cls || 'value', 'data-value': String(raw) }, text);
  }

  // ---------------------------------------------------------------------------------------
  // Words for the data's codes
  // ---------------------------------------------------------------------------------------

  const STATES = {
    in_time: { text: L('Trong hạn', 'In time'), icon: '✓' },
    due_soon: { text: L('Sắp đến hạn', 'Due soon'), icon: '◔' },
    paused: { text: L('Tạm dừng', 'Paused'), icon: '‖' },
    overdue: { text: L('Quá hạn', 'Overdue'), icon: '⚠' },
    at_risk: { text: L('Có nguy cơ trễ hạn', 'At risk'), icon: '⚑' },
  };
  const OUTCOMES = {
    early: { text: L('Trước hạn', 'Early'), icon: '✓' },
    on_time: { text: L('Đúng hạn', 'On time'), icon: '✓' },
    overdue: { text: L('Quá hạn', 'Overdue'), icon: '⚠' },
  };
  /** A state in words with its icon: colour is never the only signal. */
  function stateBadge(state, outcome) {
    const d = (outcome ? OUTCOMES[outcome] : STATES[state]) || { text: String(state || '—'), icon: '' };
    const key = outcome ? `outcome-${outcome}` : state;
    return h('span', { class: `badge badge--${key}`, 'data-state': key },
      d.icon ? icon(d.icon) : null, d.text);
  }
  const riskBadge = () => h('span', { class: 'badge badge--at_risk', 'data-state': 'at_risk' },
    icon('⚑'), STATES.at_risk.text);

  const STATUS_EN = {
    1: 'Registered online', 2: 'Received', 3: 'Refused at the desk', 4: 'In process',
    5: 'Awaiting supplementary documents', 6: 'Awaiting payment of fees',
    7: 'Withdrawn by the applicant', 8: 'Processing stopped', 9: 'Processing finished',
    10: 'Result returned',
  };
  const statusName = (st) => (!st ? '—'
    : LANG === 'en' && STATUS_EN[st.code] ? STATUS_EN[st.code] : st.name || String(st.code));

  const CHANNELS = {
    in_person: L('Trực tiếp', 'In person'),
    online: L('Trực tuyến', 'Online'),
    postal: L('Qua bưu chính công ích', 'By post'),
  };
  const BASE_DUE_SOURCES = {
    NgayHenTra: L('ngày hẹn trả (NgayHenTra) đầu tiên nhận được: ngày đã hẹn với người nộp',
      'the first NgayHenTra received: what the applicant was promised'),
    computed: L('không có NgayHenTra: tính từ thời hạn giải quyết trên lịch làm việc',
      'no NgayHenTra: computed from the limit on the working calendar'),
    none: L('không có ngày hẹn trả và không có thời hạn', 'no NgayHenTra and no limit'),
  };
  const END_SOURCES = {
    NgayKetThucXuLy: L('ngày kết thúc xử lý (NgayKetThucXuLy)', 'the processing end (NgayKetThucXuLy)'),
    progress_status_9: L('bước "Đã xử lý xong" (trạng thái 9)', 'the "processing finished" step (status 9)'),
    progress_status_10: L('bước "Đã trả kết quả" (trạng thái 10)', 'the "result returned" step (status 10)'),
    progress_status_8: L('bước "Dừng xử lý" (trạng thái 8)', 'the "stopped" step (status 8)'),
    progress_status_7: L('bước "Công dân yêu cầu rút hồ sơ" (trạng thái 7)', 'the "withdrawn" step (status 7)'),
    NgayTra: L('ngày trả kết quả (NgayTra)', 'the return date (NgayTra)'),
    none: L('không rõ', 'unknown'),
  };
  const EXCLUSIONS = {
    not_received: L('chưa được tiếp nhận', 'not received yet'),
    refused: L('không được tiếp nhận (trạng thái 3)', 'refused at the desk (status 3)'),
    no_receipt: L('thiếu ngày tiếp nhận (NgayTiepNhan)', 'no receipt date (NgayTiepNhan)'),
    no_end_time: L('đã kết thúc nhưng không có thời điểm kết thúc', 'ended, but no end time in the data'),
    status_unknown: L('chưa rõ trạng thái (TrangThaiHoSo không phải mã 1–10)', 'status unknown (TrangThaiHoSo not a code 1–10)'),
  };
  const FLAGS = {
    due_mismatch: L('Hạn tính theo danh mục khác ngày hẹn trả (NgayHenTra)', 'The computed due differs from NgayHenTra'),
    unknown_procedure: L('Thủ tục không có trong danh mục', 'The procedure is not in the catalogue'),
    no_due_date: L('Không có hạn giải quyết', 'No due date'),
    end_missing: L('Thiếu thời điểm kết thúc', 'The end time is missing'),
    end_before_receipt: L('Thời điểm kết thúc trước ngày tiếp nhận', 'The end is before the receipt'),
    due_before_receipt: L('Hạn trả trước ngày tiếp nhận', 'The due is before the receipt'),
    extended: L('Đã gia hạn (đổi ngày hẹn trả ngoài lần bổ sung hồ sơ)', 'Extended (NgayHenTra changed outside a supplementation round)'),
    status_unknown: L('Chưa rõ trạng thái: không tính cho đến khi nhận được mã trạng thái', 'Status unknown: not counted until a status code arrives'),
  };
  const PAUSE_POLICIES = {
    pause: L('tạm dừng: thời gian chờ người nộp không tính', 'pause: the time waiting for the applicant is not counted'),
    restart: L('tính lại: thời hạn bắt đầu lại khi nhận đủ bổ sung', 'restart: the full limit starts again when the supplement arrives'),
  };
  /** "15wd" → "15 ngày làm việc"; "" → none. */
  function limitText(s) {
    if (s === undefined || s === null || s === '') return L('không có', 'none');
    let m = /^(\d+(?:\.\d+)?)(wd|wh|d)$/.exec(s);
    if (m) {
      const n = +m[1];
      const num = fmtDec(n, 2);
      const pl = n === 1 ? '' : 's';
      if (m[2] === 'wd') return L(`${num} ngày làm việc`, `${num} working day${pl}`);
      if (m[2] === 'wh') return L(`${num} giờ làm việc`, `${num} working hour${pl}`);
      return L(`${num} ngày (theo lịch)`, `${num} calendar day${pl}`);
    }
    m = /^sameday@(\d{1,2}:\d{2})$/.exec(s);
    if (m) return L(`trong ngày (nhận trước ${m[1]})`, `same day (received before ${m[1]})`);
    return s;
  }
  const KINDS = {
    results: L('Biểu II.06a', 'Form II.06a (results)'),
    reduction: L('Báo cáo rút ngắn thời gian', 'Processing-time reduction'),
    index766: L('Chỉ số 766 (ước tính)', 'Decision 766 index (estimate)'),
    claimed: L('Số liệu hệ thống báo cáo so với hồ sơ', 'Claimed statistics beside ours'),
  };
  const kindName = (k) => KINDS[k] || k;

  // ---------------------------------------------------------------------------------------
  // Fetching
  // ---------------------------------------------------------------------------------------

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }
  let redirecting = false;
  function goSignIn() {
    if (redirecting) return;
    redirecting = true;
    location.assign(pageUrl('/signin', { next: location.pathname + location.search }));
  }
  async function getJSON(url) {
    let res;
    try {
      res = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store', credentials: 'same-origin' });
    } catch (e) {
      throw new ApiError(0, L('Không kết nối được tới máy chủ.', 'The server cannot be reached.'));
    }
    if (res.status === 401) {
      goSignIn();
      throw new ApiError(401, L('Cần đăng nhập.', 'Sign-in required.'));
    }
    let body = null;
    try {
      body = await res.json();
    } catch (e) {
      body = null;
    }
    if (!res.ok) {
      const msg = body && typeof body.error === 'string' && body.error ? body.error : `HTTP ${res.status}`;
      throw new ApiError(res.status, msg);
    }
    if (body === null || typeof body !== 'object') {
      throw new ApiError(res.status, L('Máy chủ trả về dữ liệu không đọc được.', 'The server sent data that cannot be read.'));
    }
    return body;
  }
  const LOADING_TEXT = L('Đang nạp dữ liệu…', 'Loading data…');
  function describeError(e, what) {
    if (e && e.status === 503) return LOADING_TEXT;
    if (e && e.status === 0) return e.message;
    if (e && e.status === 404) return `${what || L('Không tìm thấy', 'Not found')}: ${e.message}`;
    return `${L('Không tải được dữ liệu', 'The data could not be loaded')}${e && e.status ? ` (${e.status})` : ''}: ${e && e.message ? e.message : String(e)}`;
  }

  /** A message line of a page: loading, error, info. */
  function messageBox() {
    const el = h('div', { class: 'msg', role: 'status', 'aria-live': 'polite', hidden: true });
    return {
      el,
      show(kind, text) {
        el.className = `msg msg--${kind}`;
        el.textContent = text;
        el.hidden = false;
      },
      clear() {
        el.hidden = true;
        el.textContent = '';
      },
    };
  }

  /** Runs a page's fetch-and-render; a newer run makes older answers void; 503 retries. */
  function loader(msg, fn, notFound) {
    let seq = 0;
    let retry = 0;
    const run = async () => {
      const mine = ++seq;
      clearTimeout(retry);
      try {
        await fn(() => mine === seq);
        if (mine === seq) msg.clear();
      } catch (e) {
        if (mine !== seq || (e && e.status === 401)) return;
        if (e && e.status === 503) {
          msg.show('loading', LOADING_TEXT);
          retry = setTimeout(run, 3000);
        } else {
          msg.show('error', describeError(e, notFound));
        }
      }
    };
    return run;
  }

  /** A picture from the server with its alternative text; a failed load says so in words. */
  function picture(testid, cls) {
    const img = h('img', { 'data-testid': testid, alt: '', decoding: 'async', class: 'chart__img' });
    const fail = h('p', { class: 'chart__fail muted', hidden: true },
      L('Không tải được hình; số liệu có trong bảng.', 'The picture could not be loaded; the figures are in the table.'));
    img.addEventListener('error', () => { if (img.getAttribute('src')) fail.hidden = false; });
    img.addEventListener('load', () => { fail.hidden = true; });
    const fig = h('figure', { class: `chart ${cls || ''}`.trim() }, img, fail);
    return {
      fig,
      img,
      set(src, alt) {
        img.alt = alt;
        if (img.getAttribute('src') !== src) img.src = src;
      },
    };
  }

  // ---------------------------------------------------------------------------------------
  // Application state and the overview poll shared by every page
  // ---------------------------------------------------------------------------------------

  const app = {
    ov: null, version: null, day: 27000, target: null, timer: 0, page: null,
  };

  function refreshMs() {
    const r = Number(PARAMS.get('refresh'));
    if (Number.isFinite(r) && r >= 1) return r * 1000;
    const s = app.ov && app.ov.refresh_seconds;
    return (isNum(s) && s >= 1 ? s : 5) * 1000;
  }

  function setConn(text, kind) {
    const el = $('#conn');
    if (!el) return;
    if (!text) {
      el.hidden = true;
      el.textContent = '';
      return;
    }
    el.className = `conn-banner conn-banner--${kind || 'error'}`;
    el.textContent = text;
    el.hidden = false;
  }

  async function poll() {
    clearTimeout(app.timer);
    try {
      const ov = await getJSON('/api/v1/overview');
      setConn(null);
      onOverview(ov);
    } catch (e) {
      if (e && e.status === 401) return;
      if (e && e.status === 503) setConn(LOADING_TEXT, 'loading');
      else setConn(`${describeError(e)} ${L('Đang thử lại…', 'Retrying…')}`, 'error');
      if (app.version === null && app.page && app.page.waiting) app.page.waiting(e);
    }
    app.timer = setTimeout(poll, app.version === null ? Math.min(refreshMs(), 3000) : refreshMs());
  }

  function onOverview(ov) {
    app.ov = ov;
    if (isNum(ov.day_seconds) && ov.day_seconds > 0) app.day = ov.day_seconds;
    if (ov.month && isNum(ov.month.target)) app.target = ov.month.target;
    setProvince(ov.province);
    renderStatusbar(ov);
    const first = app.version === null;
    const changed = first || ov.version !== app.version;
    app.version = ov.version;
    if (app.page) app.page.onPoll(ov, changed, first);
  }

  // ---------------------------------------------------------------------------------------
  // Page chrome: navigation, language switch, title, status bar
  // ---------------------------------------------------------------------------------------

  let pageTitle = '';
  function setTitle(title) {
    pageTitle = title;
    const prov = app.ov && app.ov.province ? ` — ${app.ov.province}` : '';
    document.title = `${title ? `${title} — ` : ''}${PRODUCT}${prov}`;
  }
  function setProvince(name) {
    const el = $('#province');
    if (el) {
      el.textContent = name || '';
      el.hidden = !name;
    }
    setTitle(pageTitle);
  }

  function setupChrome(navKey) {
    if (LANG === 'en') {
      for (const el of $$('[data-en]')) el.textContent = el.dataset.en;
      for (const el of $$('[data-en-label]')) el.setAttribute('aria-label', el.dataset.enLabel);
    }
    for (const a of $$('a[data-nav-path]')) a.setAttribute('href', pageUrl(a.dataset.navPath));
    for (const a of $$('a[data-nav]')) {
      if (a.dataset.nav === navKey) a.setAttribute('aria-current', 'page');
    }
    for (const a of $$('a[data-lang]')) {
      const q = new URLSearchParams(location.search);
      q.set('lang', a.dataset.lang);
      a.setAttribute('href', `${location.pathname}?${q.toString()}`);
      if (a.dataset.lang === LANG) a.setAttribute('aria-current', 'true');
    }
    const boot = $('#boot-msg');
    if (boot) boot.remove();
  }

  function pollerWords(p) {
    if (!p) return { text: L('Không dùng bộ thu thập (nhận hồ sơ qua webhook)', 'No poller (dossiers arrive by webhook)'), bad: false };
    if (p.state === 'ok') return { text: L('Bộ thu thập hoạt động bình thường', 'The poller is working'), bad: false };
    if (p.state === 'starting') return { text: L('Bộ thu thập đang khởi động', 'The poller is starting'), bad: false };
    const n = isNum(p.consecutive_failures) ? p.consecutive_failures : 0;
    return {
      text: L(`Bộ thu thập đang lỗi (${fmtInt(n)} lần liên tiếp)`, `The poller is failing (${fmtInt(n)} times in a row)`),
      bad: true,
    };
  }
  function freshnessText(f) {
    if (!f || !f.last_intake) return L('Chưa nhận hồ sơ nào', 'No dossier received yet');
    return L(`Dữ liệu mới nhất: ${ago(f.seconds_since)}`, `Latest data: ${ago(f.seconds_since)}`);
  }

  function renderStatusbar(ov) {
    const bar = $('#statusbar');
    if (!bar) return;
    const f = ov.freshness || {};
    const p = pollerWords(f.poller);
    const items = [
      h('span', { class: 'statusbar__item' }, h('span', { class: 'live-dot', 'aria-hidden': 'true' }),
        L('Số liệu tính đến ', 'Figures as of '),
        h('time', { datetime: ov.as_of, 'data-testid': 'as-of', 'data-value': ov.as_of }, fmtMoment(ov.as_of))),
      h('span', { class: 'statusbar__item', 'data-testid': 'freshness' }, freshnessText(f)),
    ];
    if (p.bad) items.push(h('span', { class: 'statusbar__item statusbar__warn', 'data-testid': 'poller-warning' }, icon('⚠'), p.text));
    const prov = ov.calendar && Array.isArray(ov.calendar.provisional_years) ? ov.calendar.provisional_years : [];
    if (prov.length && app.page !== Overview) {
      items.push(h('span', { class: 'statusbar__item statusbar__warn' }, icon('⚠'), provisionalText(prov)));
    }
    fill(bar, h('div', { class: 'statusbar__inner' }, items));
  }
  function provisionalText(years) {
    const y = years.join(', ');
    return L(`Lịch nghỉ năm ${y} là tạm tính`, `The ${y} holiday calendar is provisional`);
  }

  // ---------------------------------------------------------------------------------------
  // Shared blocks: tiles, month figures, tables
  // ---------------------------------------------------------------------------------------

  /** Compares a rate to the target in words. */
  function targetWords(rate, target) {
    if (!isNum(target)) return { text: '', cls: '' };
    const t = fmtPct(target);
    if (!isNum(rate)) return { text: L(`Mục tiêu ${t}; chưa có hồ sơ giải quyết xong trong tháng`, `Target ${t}; nothing resolved this month yet`), cls: '' };
    const r = Math.round(rate * 10000);
    const g = Math.round(target * 10000);
    if (r > g) return { text: L(`Cao hơn mục tiêu ${t}`, `Above the ${t} target`), cls: 'good', short: L('Đạt', 'Met') };
    if (r === g) return { text: L(`Bằng mục tiêu ${t}`, `At the ${t} target`), cls: 'good', short: L('Đạt', 'Met') };
    const gap = fmtNum((g - r) / 100, 2);
    return {
      text: L(`Thấp hơn mục tiêu ${t} (thiếu ${gap} điểm %)`, `Below the ${t} target (${gap} points short)`),
      cls: 'bad',
      short: L('Chưa đạt', 'Below'),
    };
  }

  function tile(id, { label, iconCh, value, raw, sub, href, mod, extra }) {
    const tag = href ? 'a' : 'div';
    const el = h(tag, { class: `tile${mod ? ` tile--${mod}` : ''}`, 'data-testid': `tile-${id}`, href: href || null },
      h('span', { class: 'tile__label' }, iconCh ? icon(iconCh) : null, label),
      valueEl(raw, value, 'tile__value'),
      sub ? h('span', { class: 'tile__sub' }, sub) : null,
      extra || null);
    return el;
  }

  /** The seven tiles of a place (the province or a unit). `unit` narrows the links. */
  function tiles(now, month, opts) {
    const o = opts || {};
    const n = now || {};
    const m = month || {};
    const target = isNum(o.target) ? o.target : app.target;
    const href = (state) => (o.links === false ? null
      : pageUrl('/dossiers', { state, unit: o.unit || null }));
    const monthLabel = o.month ? fmtMonth(o.month) : L('tháng này', 'this month');
    const tw = targetWords(m.on_time_rate, target);
    const list = [
      tile('in_process', {
        label: L('Đang giải quyết', 'In process'), value: fmtInt(n.in_process), raw: n.in_process,
        sub: L(`trong đó ${fmtInt(n.in_time)} trong hạn`, `${fmtInt(n.in_time)} of them in time`), href: href(null),
      }),
      tile('due_soon', {
        label: L('Sắp đến hạn', 'Due soon'), iconCh: '◔', value: fmtInt(n.due_soon), raw: n.due_soon,
        sub: L('cần xử lý ngay', 'need action now'), href: href('due_soon'), mod: n.due_soon > 0 ? 'warn' : null,
      }),
      tile('overdue', {
        label: L('Quá hạn', 'Overdue'), iconCh: '⚠', value: fmtInt(n.overdue), raw: n.overdue,
        sub: L(`${fmtInt(n.overdue_steps)} bước xử lý đang trễ hạn`, `${fmtInt(n.overdue_steps)} steps past their deadline`),
        href: href('overdue'), mod: n.overdue > 0 ? 'bad' : 'good',
      }),
      tile('paused', {
        label: L('Tạm dừng', 'Paused'), iconCh: '‖', value: fmtInt(n.paused), raw: n.paused,
        sub: L('chờ bổ sung hồ sơ, nộp phí', 'awaiting the applicant'), href: href('paused'),
      }),
      tile('at_risk', {
        label: L('Có nguy cơ trễ hạn', 'At risk'), iconCh: '⚑', value: fmtInt(n.at_risk), raw: n.at_risk,
        sub: L('bước hiện tại đã quá hạn bước', 'current step past its deadline'), href: href('at_risk'),
        mod: n.at_risk > 0 ? 'warn' : null,
      }),
      tile('on_time_rate', {
        label: L('Tỷ lệ đúng hạn', 'On-time rate'), value: fmtPct(m.on_time_rate), raw: m.on_time_rate,
        sub: [h('span', { class: 'tile__period' }, monthLabel), h('span', { class: `target target--${tw.cls || 'none'}` },
          tw.cls === 'bad' ? icon('▼') : tw.cls === 'good' ? icon('▲') : null, tw.text)],
        href: o.links === false ? null : pageUrl('/reports'), mod: tw.cls === 'bad' ? 'bad' : tw.cls === 'good' ? 'good' : null,
      }),
      tile('766', {
        label: L('Chỉ số 766 (ước tính)', 'Decision 766 (estimate)'), value: fmtPct(m.rate_766), raw: m.rate_766,
        sub: [h('span', { class: 'tile__period' }, monthLabel), h('span', null, L('Điểm: ', 'Score: '),
          valueEl(m.score_766, isNum(m.score_766) ? `${fmtDec(m.score_766, 2)}/20` : '—', 'tile__score'))],
        href: o.links === false ? null : pageUrl('/reports'),
      }),
    ];
    return h('div', { class: 'tiles', 'data-testid': 'tiles' }, list);
  }

  /** The month's counts as a list of terms (the period rule of the reports). */
  function monthFacts(m, monthKey) {
    const row = (key, label, v, sub) => [
      h('dt', null, label),
      h('dd', { 'data-testid': `month-${key}` }, valueEl(v, fmtInt(v)), sub ? h('span', { class: 'muted' }, ` ${sub}`) : null),
    ];
    const mm = m || {};
    return h('dl', { class: 'facts facts--grid' },
      row('received', L('Tiếp nhận mới', 'Received'), mm.received),
      row('carried_over', L('Kỳ trước chuyển sang', 'Carried over'), mm.carried_over),
      row('resolved', L('Đã giải quyết', 'Resolved'), mm.resolved),
      row('early', L('— trước hạn', '— early'), mm.early),
      row('on_time', L('— đúng hạn', '— on time'), mm.on_time),
      row('overdue', L('— quá hạn', '— overdue'), mm.overdue),
      row('pending', L('Đang giải quyết', 'Still in process'), mm.pending),
      row('pending_overdue', L('— trong đó quá hạn', '— of which overdue'), mm.pending_overdue),
      monthKey ? null : null);
  }

  function section(title, id, ...children) {
    const hid = `h-${id}`;
    return h('section', { class: 'card', 'aria-labelledby': hid, 'data-section': id },
      h('h2', { id: hid }, title), children);
  }
  function tableWrap(table, label) {
    return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': label }, table);
  }
  function thead(...cols) {
    return h('thead', null, h('tr', null, cols.filter((c) => c).map((c) => (typeof c === 'string'
      ? h('th', { scope: 'col' }, c)
      : h('th', { scope: 'col', class: c.cls || null }, c.text)))));
  }
  const num = (v, text) => h('td', { class: 'num' }, valueEl(v, text === undefined ? fmtInt(v) : text));

  /** Units worst first: name and code, on-time rate, overdue now, overdue steps, department. */
  function rankingTable(units, opts) {
    const o = opts || {};
    const list = o.limit ? units.slice(0, o.limit) : units;
    const target = app.target;
    const body = h('tbody', null, list.map((u, i) => {
      const n = u.now || {};
      const m = u.month || {};
      const tw = targetWords(m.on_time_rate, target);
      const name = u.name || u.unit;
      const top = u.top_department;
      return h('tr', { 'data-testid': 'unit-row', 'data-unit': u.unit, class: n.overdue > 0 ? 'row--overdue' : null },
        h('td', { class: 'num rank' }, String(i + 1)),
        h('th', { scope: 'row', class: 'unit-cell' },
          o.links === false ? h('span', { class: 'unit-name' }, name) : link(pageUrl(unitPath(u.unit)), name),
          h('span', { class: 'code' }, u.unit)),
        h('td', { class: 'num' }, valueEl(m.on_time_rate, fmtPct(m.on_time_rate)),
          tw.short ? h('span', { class: `target-short target--${tw.cls}` }, tw.cls === 'bad' ? icon('▼') : icon('▲'), tw.short) : null),
        num(n.in_process),
        h('td', { class: `num${n.overdue > 0 ? ' is-overdue' : ''}` },
          n.overdue > 0 ? icon('⚠') : null, valueEl(n.overdue, fmtInt(n.overdue)),
          n.overdue > 0 ? sr(L(' quá hạn', ' overdue')) : null),
        num(n.overdue_steps),
        h('td', { class: 'dept-cell' }, top && top.name
          ? [h('span', null, top.name), h('span', { class: 'muted' },
            L(` (${fmtInt(top.overdue_steps)} bước trễ)`, ` (${fmtInt(top.overdue_steps)} late steps)`))]
          : h('span', { class: 'muted' }, L('không có bước trễ', 'no late step'))));
    }));
    const table = h('table', { class: 'data data--ranking', 'data-testid': 'ranking-table' },
      h('caption', { class: 'sr-only' }, L('Đơn vị xếp theo tỷ lệ đúng hạn trong tháng, thấp nhất trước', 'Units by this month\'s on-time rate, lowest first')),
      thead({ text: '#', cls: 'num' }, L('Đơn vị', 'Unit'),
        { text: L('Tỷ lệ đúng hạn tháng', 'On-time rate (month)'), cls: 'num' },
        { text: L('Đang xử lý', 'In process'), cls: 'num' },
        { text: L('Quá hạn hiện tại', 'Overdue now'), cls: 'num' },
        { text: L('Bước trễ hạn', 'Overdue steps'), cls: 'num' },
        L('Phòng ban giữ nhiều bước trễ nhất', 'Department holding most late steps')),
      body);
    if (!list.length) {
      body.append(h('tr', null, h('td', { colspan: '7', class: 'empty' }, L('Chưa có đơn vị nào.', 'No unit yet.'))));
    }
    return table;
  }

  /** The work list: most urgent first, exactly in the API's order. */
  function worklistTable(items, offset, opts) {
    const o = opts || {};
    const lateOf = (it) => isNum(it.left_working_seconds) && it.left_working_seconds < 0;
    const cols = [
      { head: { text: L('STT', 'No.'), cls: 'num' }, attrs: () => ({ class: 'num seq' }), cell: (it, i) => String(offset + i + 1) },
      { head: L('Mã hồ sơ', 'Dossier'), attrs: () => ({ class: 'code-cell' }), cell: (it) => link(pageUrl(dossierPath(it.code)), it.code) },
      {
        head: L('Thủ tục', 'Procedure'),
        cell: (it) => [h('span', null, it.procedure_name || L('(không có trong danh mục)', '(not in the catalogue)')),
          h('span', { class: 'code' }, it.procedure_code)],
      },
      o.hideUnit ? null : {
        head: L('Đơn vị', 'Unit'),
        cell: (it) => [h('span', null, it.unit_name || it.unit), h('span', { class: 'code' }, it.unit)],
      },
      { head: L('Trạng thái', 'State'), cell: (it) => [stateBadge(it.state), it.at_risk ? riskBadge() : null] },
      { head: L('Phòng ban đang giữ', 'Department holding it'), cell: (it) => it.department || h('span', { class: 'muted' }, '—') },
      { head: L('Hạn xử lý', 'Effective due'), attrs: () => ({ class: 'nowrap' }), cell: (it) => timeEl(it.effective_due) },
      {
        head: L('Thời gian còn lại', 'Time left'),
        attrs: (it) => ({ class: `left-cell${lateOf(it) ? ' is-overdue' : ''}`, 'data-value': String(it.left_working_seconds) }),
        cell: (it) => [lateOf(it) ? icon('⚠') : null, workLeft(it.left_working_seconds),
          it.state === 'paused' ? h('span', { class: 'muted' }, L(' (đồng hồ đang dừng)', ' (clock stopped)')) : null],
      },
    ].filter(Boolean);
    const label = (c) => (typeof c.head === 'string' ? c.head : c.head.text);
    const body = h('tbody', null, items.map((it, i) => h('tr', {
      'data-testid': 'worklist-row', 'data-code': it.code, 'data-state': it.state,
      class: `row--${it.state}${it.at_risk ? ' row--at_risk' : ''}`,
    }, cols.map((c) => h('td', Object.assign({ 'data-label': label(c) }, c.attrs ? c.attrs(it) : {}),
      h('div', { class: 'cell' }, c.cell(it, i)))))));
    return h('table', { class: 'data data--worklist stack-on-phone', 'data-testid': 'worklist-table' },
      h('caption', { class: 'sr-only' }, L('Hồ sơ đang xử lý, khẩn cấp nhất trước', 'Dossiers in process, most urgent first')),
      thead(...cols.map((c) => c.head)), body);
  }

  // ---------------------------------------------------------------------------------------
  // Overview
  // ---------------------------------------------------------------------------------------

  const Overview = {
    init(main) {
      setTitle(L('Tổng quan', 'Overview'));
      this.msg = messageBox();
      this.unknownBox = h('div');
      this.tilesBox = h('div', { class: 'tiles-box' });
      this.monthBox = h('div');
      this.monthTitle = h('h2', { id: 'h-month' }, L('Trong tháng', 'This month'));
      this.rankBox = h('div');
      this.rankPic = picture('ranking', 'chart--ranking');
      this.trendBox = h('div');
      this.trendPic = picture('trend', 'chart--trend');
      this.trendMsg = messageBox();
      this.freshBox = h('div');
      this.calBox = h('div');
      main.append(
        h('div', { class: 'page-head' },
          h('h1', null, L('Tổng quan tình hình giải quyết hồ sơ', 'Overview of dossier processing'))),
        this.msg.el,
        this.unknownBox,
        this.tilesBox,
        h('div', { class: 'layout-2' },
          h('div', { class: 'layout-2__main' },
            section(L('Đơn vị xếp theo tỷ lệ đúng hạn (thấp nhất trước)', 'Units by on-time rate (lowest first)'), 'ranking',
              h('p', { class: 'muted' }, L('Tỷ lệ đúng hạn của các hồ sơ giải quyết xong trong tháng; số quá hạn là hồ sơ đang xử lý đã quá hạn.',
                'On-time rate of the dossiers resolved this month; overdue counts the dossiers in process past their due.')),
              this.rankBox, this.rankPic.fig)),
          h('div', { class: 'layout-2__side' },
            h('section', { class: 'card', 'aria-labelledby': 'h-month' }, this.monthTitle, this.monthBox),
            section(L('Độ mới của dữ liệu', 'Data freshness'), 'freshness', this.freshBox),
            section(L('Lịch làm việc', 'Working calendar'), 'calendar', this.calBox))),
        section(L('Xu hướng 12 tháng', 'Trend over 12 months'), 'trend', this.trendPic.fig, this.trendMsg.el, this.trendBox));
      this.loadTrend = loader(this.trendMsg, (cur) => this.fetchTrend(cur));
      this.msg.show('loading', L('Đang tải…', 'Loading…'));
    },
    waiting(e) {
      this.msg.show(e && e.status === 503 ? 'loading' : 'error', describeError(e));
    },
    onPoll(ov, changed) {
      this.msg.clear();
      fill(this.freshBox, freshnessFacts(ov));
      fill(this.calBox, calendarFacts(ov.calendar));
      if (!changed) return;
      this.showUnknownUnits(ov.unknown_units);
      const month = ov.month || {};
      const units = Array.isArray(ov.units) ? ov.units : [];
      // A new version need not change a figure shown here: redraw only what changed.
      if (changedSince(this, 'sigFigures', [ov.now, month, units])) {
        keepFocus(this.tilesBox, () => fill(this.tilesBox, tiles(ov.now, month, { month: month.month, target: month.target })));
        this.monthTitle.textContent = capital(`${fmtMonth(month.month)}`) + L(' (từ ', ' (from ') + fmtDay(month.from) + ')';
        fill(this.monthBox, monthFacts(month));
        keepFocus(this.rankBox, () => fill(this.rankBox, tableWrap(rankingTable(units), L('Bảng xếp hạng đơn vị', 'Unit ranking table'))));
      }
      if (changedSince(this, 'sigRanking', units.map((u) => [u.unit, u.name, u.month && u.month.on_time_rate, u.now && u.now.overdue]))) {
        this.rankPic.set(svgUrl('/api/v1/overview/ranking.svg'), rankingAlt(units));
      }
      // The trend moves with the month's counts; at least once a minute otherwise.
      const now = Date.now();
      if (changedSince(this, 'sigTrend', [month.month, month.received, month.resolved, month.overdue, ov.now && ov.now.in_process])
        || !this.trendAt || now - this.trendAt > 60000) {
        this.trendAt = now;
        this.loadTrend();
      }
    },
    // Dossiers under unit codes the unit register lacks: a notice naming the codes, as the
    // explanation of a dossier names an unknown procedure.
    async showUnknownUnits(u) {
      const count = u && isNum(u.dossiers) ? u.dossiers : 0;
      if (!changedSince(this, 'sigUnknown', count)) return;
      if (count === 0) {
        fill(this.unknownBox);
        return;
      }
      let codes = [];
      try {
        const list = await getJSON('/api/v1/units/unknown');
        codes = Array.isArray(list.units) ? list.units : [];
      } catch (e) {
        codes = [];
      }
      const shown = codes.slice(0, 5).map((c, i) => [i ? ', ' : '', h('code', null, c.unit),
        ` (${fmtInt(c.dossiers)})`]);
      fill(this.unknownBox, h('div', { class: 'notice notice--warn', role: 'status', 'data-testid': 'unknown-units' },
        h('strong', null, icon('⚠'), L(`${fmtInt(count)} hồ sơ thuộc mã đơn vị không có trong danh mục đơn vị`,
          `${fmtInt(count)} dossiers under unit codes not in the unit register`)),
        h('p', null, L('Các hồ sơ này được tính riêng theo mã nhận được; hãy bổ sung danh mục đơn vị (units.csv). ',
          'They are counted under the code received; add the units to the register (units.csv). '),
        shown.length ? [L('Mã: ', 'Codes: '), shown, codes.length > 5 ? ' …' : ''] : null)));
    },
    async fetchTrend(cur) {
      const tr = await getJSON(apiUrl('/api/v1/trend', { months: 12 }));
      if (!cur()) return;
      const months = Array.isArray(tr.months) ? tr.months : [];
      this.trendPic.set(svgUrl('/api/v1/trend.svg'), trendAlt(months, tr.target));
      fill(this.trendBox, tableWrap(trendTable(months, tr.target), L('Bảng xu hướng 12 tháng', '12-month trend table')));
    },
  };

  function rankingAlt(units) {
    const worst = units.slice(0, 3).map((u) => `${u.name || u.unit} ${fmtPct(u.month && u.month.on_time_rate)}`
      + L(`, ${fmtInt(u.now && u.now.overdue)} quá hạn`, `, ${fmtInt(u.now && u.now.overdue)} overdue`));
    return L(`Biểu đồ thanh: ${fmtInt(units.length)} đơn vị xếp theo tỷ lệ đúng hạn trong tháng so với mục tiêu ${fmtPct(app.target)}, thấp nhất trước`,
      `Bar chart: ${fmtInt(units.length)} units by this month's on-time rate against the ${fmtPct(app.target)} target, lowest first`)
      + (worst.length ? `: ${worst.join('; ')}` : '') + L('. Số liệu đầy đủ trong bảng.', '. All figures are in the table.');
  }
  function trendAlt(months, target) {
    const known = months.filter((m) => m.source !== 'pending');
    const last = known[known.length - 1];
    let s = L(`Biểu đồ ${months.length} tháng: hồ sơ tiếp nhận, đã giải quyết, quá hạn và tỷ lệ đúng hạn so với mục tiêu ${fmtPct(target)}`,
      `Chart of ${months.length} months: dossiers received, resolved, overdue and the on-time rate against the ${fmtPct(target)} target`);
    if (last) {
      s += L(`. ${capital(fmtMonth(last.month))}: tiếp nhận ${fmtInt(last.received)}, giải quyết ${fmtInt(last.resolved)}, tỷ lệ đúng hạn ${fmtPct(last.on_time_rate)}`,
        `. ${fmtMonth(last.month)}: ${fmtInt(last.received)} received, ${fmtInt(last.resolved)} resolved, on-time rate ${fmtPct(last.on_time_rate)}`);
    }
    return s + L('. Số liệu từng tháng trong bảng bên dưới.', '. Each month\'s figures are in the table below.');
  }
  function trendSource(m) {
    if (m.source === 'snapshot') return L('bản chốt', 'frozen snapshot');
    if (m.source === 'pending') return L('chưa tính', 'not computed yet');
    if (!m.closed) return L('đang diễn ra', 'running');
    return L('tính từ dữ liệu hiện có', 'counted from the data now');
  }
  function trendTable(months, target) {
    const rows = months.slice().reverse().map((m) => {
      const pending = m.source === 'pending';
      const tw = targetWords(m.on_time_rate, target);
      return h('tr', { 'data-testid': 'trend-row', 'data-month': m.month },
        h('th', { scope: 'row' }, capital(fmtMonth(m.month)),
          h('span', { class: 'muted small' }, trendSource(m))),
        num(m.received), num(m.resolved), num(m.early), num(m.on_time), num(m.overdue), num(m.pending_overdue),
        h('td', { class: 'num' }, valueEl(m.on_time_rate, fmtPct(m.on_time_rate)),
          !pending && tw.short ? h('span', { class: `target-short target--${tw.cls}` }, tw.cls === 'bad' ? icon('▼') : icon('▲'), tw.short) : null));
    });
    return h('table', { class: 'data data--trend', 'data-testid': 'trend-table' },
      h('caption', { class: 'sr-only' }, L('Số liệu từng tháng, mới nhất trước', 'Figures per month, newest first')),
      thead(L('Tháng', 'Month'),
        { text: L('Tiếp nhận', 'Received'), cls: 'num' },
        { text: L('Đã giải quyết', 'Resolved'), cls: 'num' },
        { text: L('Trước hạn', 'Early'), cls: 'num' },
        { text: L('Đúng hạn', 'On time'), cls: 'num' },
        { text: L('Quá hạn', 'Overdue'), cls: 'num' },
        { text: L('Đang xử lý quá hạn', 'Pending overdue'), cls: 'num' },
        { text: L(`Tỷ lệ đúng hạn (mục tiêu ${fmtPct(target)})`, `On-time rate (target ${fmtPct(target)})`), cls: 'num' }),
      h('tbody', null, rows));
  }

  function fact(label, ...value) {
    return [h('dt', null, label), h('dd', null, value)];
  }
  function freshnessFacts(ov) {
    const f = ov.freshness || {};
    const p = pollerWords(f.poller);
    const out = [h('dl', { class: 'facts' },
      fact(L('Số liệu tính đến', 'Figures as of'), timeEl(ov.as_of)),
      fact(L('Hồ sơ nhận gần nhất', 'Latest intake'), f.last_intake
        ? [timeEl(f.last_intake), h('span', { class: 'muted' }, ` (${ago(f.seconds_since)})`)]
        : h('span', { class: 'muted' }, L('chưa có', 'none yet'))),
      fact(L('Thu thập dữ liệu', 'Intake'), h('span', { class: p.bad ? 'is-overdue' : null }, p.bad ? icon('⚠') : null, p.text)),
      f.poller && f.poller.last_success
        ? fact(L('Lần thu thập thành công gần nhất', 'Last successful poll'), timeEl(f.poller.last_success)) : null,
      fact(L('Tự cập nhật', 'Refreshes'), L(`mỗi ${fmtInt(refreshMs() / 1000)} giây`, `every ${fmtInt(refreshMs() / 1000)} s`)))];
    if (p.bad) {
      out.push(h('div', { class: 'notice notice--bad', role: 'alert', 'data-testid': 'poller-failing' },
        h('strong', null, icon('⚠'), L('Bộ thu thập dữ liệu đang gặp lỗi', 'The poller is failing')),
        h('p', null, L('Số liệu có thể không phản ánh hồ sơ mới nhất. ', 'The figures may miss the latest dossiers. '),
          f.poller.last_error ? [L('Lỗi: ', 'Error: '), h('code', null, f.poller.last_error)] : null)));
    }
    return out;
  }
  function calendarFacts(c) {
    if (!c) return h('p', { class: 'muted' }, '—');
    const day = (d) => (d ? [weekday(d), ', ', timeEl(d, true)] : h('span', { class: 'muted' }, L('không có', 'none')));
    const years = Array.isArray(c.provisional_years) ? c.provisional_years : [];
    return [
      years.length ? h('div', { class: 'notice notice--warn', 'data-testid': 'provisional-warning' },
        h('strong', null, icon('⚠'), provisionalText(years)),
        h('p', null, L('Chưa có thông báo chính thức; ngày nghỉ được suy ra từ Bộ luật Lao động. Hạn xử lý có thể thay đổi khi thông báo được ban hành.',
          'No official notice yet: the days off are derived from the Labour Code. Due dates may move when the notice is published.'))) : null,
      h('dl', { class: 'facts', 'data-testid': 'calendar' },
        fact(L('Bây giờ', 'Now'), h('span', { class: c.working_now ? 'is-good' : null },
          c.working_now ? L('Trong giờ làm việc', 'Working hours') : L('Ngoài giờ làm việc', 'Outside working hours')),
        h('span', { class: 'muted' }, c.today_working ? L(' · hôm nay là ngày làm việc', ' · today is a working day')
          : L(' · hôm nay là ngày nghỉ', ' · today is a day off'))),
        fact(L('Ngày nghỉ tiếp theo', 'Next day off'), day(c.next_day_off)),
        fact(L('Ngày lễ tiếp theo', 'Next holiday'), day(c.next_holiday)),
        fact(L('Phiên bản lịch', 'Calendar version'), h('code', null, c.version || '—'))),
    ];
  }

  // ---------------------------------------------------------------------------------------
  // TV: the meeting-room screen
  // ---------------------------------------------------------------------------------------

  const Tv = {
    slideMs: 15000,
    init(main) {
      document.body.classList.add('tv');
      setTitle(L('Màn hình điều hành', 'Meeting-room screen'));
      const bar = $('#statusbar');
      if (bar) bar.remove();
      const s = Number(PARAMS.get('slide'));
      if (Number.isFinite(s) && s >= 3) this.slideMs = s * 1000;
      this.msg = messageBox();
      this.clock = h('div', { class: 'tv-bar__clock' });
      this.pager = h('div', { class: 'tv-bar__pager', 'aria-hidden': 'true' });
      this.stage = h('div', { class: 'tv-stage', 'aria-live': 'off' });
      this.progress = h('div', { class: 'tv-progress', 'aria-hidden': 'true' }, h('span'));
      this.title = h('h1', { class: 'tv-bar__title' }, PRODUCT);
      main.append(h('div', { class: 'tv-bar' }, h('img', { src: '/assets/icon.svg', alt: '', class: 'tv-bar__icon', width: '48', height: '48' }),
        this.title, this.clock, this.pager), this.progress, this.msg.el, this.stage);
      this.slides = ['overview'];
      this.index = 0;
      this.unitCache = new Map();
      this.msg.show('loading', L('Đang tải…', 'Loading…'));
    },
    waiting(e) {
      this.msg.show(e && e.status === 503 ? 'loading' : 'error', describeError(e));
    },
    onPoll(ov, changed, first) {
      this.msg.clear();
      this.title.textContent = ov.province ? `${PRODUCT} — ${ov.province}` : PRODUCT;
      const f = ov.freshness || {};
      const p = pollerWords(f.poller);
      const years = ov.calendar && Array.isArray(ov.calendar.provisional_years) ? ov.calendar.provisional_years : [];
      fill(this.clock, 
        h('span', null, L('Số liệu lúc ', 'As of '), h('time', { datetime: ov.as_of, 'data-testid': 'as-of', 'data-value': ov.as_of }, fmtMoment(ov.as_of))),
        h('span', { class: 'tv-bar__fresh', 'data-testid': 'freshness' }, freshnessText(f)),
        p.bad ? h('span', { class: 'tv-bar__warn', 'data-testid': 'poller-warning' }, icon('⚠'), p.text) : null,
        years.length ? h('span', { class: 'tv-bar__warn', 'data-testid': 'provisional-warning' }, icon('⚠'), provisionalText(years)) : null);
      if (!changed) return;
      this.unitCache.clear();
      this.slides = this.sequence(ov);
      if (this.index >= this.slides.length) this.index = 0;
      this.render();
      if (first) this.start();
    },
    /** The overview, then each unit needing attention, the overview between two units. */
    sequence(ov) {
      const units = Array.isArray(ov.units) ? ov.units : [];
      const target = app.target;
      const worst = units.filter((u) => (u.now && u.now.overdue > 0)
        || (isNum(target) && u.month && isNum(u.month.on_time_rate) && u.month.on_time_rate < target)).slice(0, 5);
      const out = [];
      for (const u of worst) out.push('overview', u.unit);
      return out.length ? out : ['overview'];
    },
    start() {
      clearInterval(this.timer);
      this.timer = setInterval(() => {
        this.index = (this.index + 1) % this.slides.length;
        this.render();
      }, this.slideMs);
    },
    render() {
      const key = this.slides[this.index];
      const units = Array.isArray(app.ov.units) ? app.ov.units : [];
      const nUnits = this.slides.filter((s) => s !== 'overview').length;
      const unitPos = this.slides.slice(0, this.index + 1).filter((s) => s !== 'overview').length;
      this.pager.textContent = key === 'overview' ? L('Tổng quan', 'Overview')
        : L(`Đơn vị cần chú ý ${unitPos}/${nUnits}`, `Unit needing attention ${unitPos}/${nUnits}`);
      this.progress.firstChild.style.animationDuration = `${this.slideMs / 1000}s`;
      this.progress.classList.remove('run');
      void this.progress.offsetWidth; // restart the CSS animation
      if (this.slides.length > 1) this.progress.classList.add('run');
      if (key === 'overview') {
        fill(this.stage, this.overviewSlide(app.ov));
      } else {
        const u = units.find((x) => x.unit === key);
        if (!u) {
          fill(this.stage, this.overviewSlide(app.ov));
          return;
        }
        fill(this.stage, this.unitSlide(u, this.unitCache.get(key)));
        if (!this.unitCache.has(key)) this.fetchUnit(key);
      }
    },
    async fetchUnit(code) {
      let entry = null;
      try {
        const [detail, late] = await Promise.all([
          getJSON(`/api/v1/units/${encodeURIComponent(code)}`),
          getJSON(apiUrl('/api/v1/dossiers', { unit: code, state: 'overdue', limit: 4 })),
        ]);
        entry = { detail, late: Array.isArray(late.items) ? late.items : [] };
      } catch (e) {
        entry = null; // the slide keeps the overview's figures for the unit
      }
      this.unitCache.set(code, entry);
      if (entry && this.slides[this.index] === code) {
        const u = (app.ov.units || []).find((x) => x.unit === code);
        if (u) fill(this.stage, this.unitSlide(u, entry));
      }
    },
    overviewSlide(ov) {
      const month = ov.month || {};
      const units = Array.isArray(ov.units) ? ov.units : [];
      const pic = picture('trend', 'chart--tv');
      pic.set(svgUrl('/api/v1/trend.svg'), L(`Biểu đồ 12 tháng: hồ sơ tiếp nhận, đã giải quyết, quá hạn và tỷ lệ đúng hạn so với mục tiêu ${fmtPct(app.target)}.`,
        `Chart of 12 months: dossiers received, resolved, overdue and the on-time rate against the ${fmtPct(app.target)} target.`));
      const shown = 6;
      return h('section', { class: 'tv-slide', 'data-testid': 'tv-slide', 'data-slide': 'overview', 'aria-labelledby': 'tv-h' },
        h('h2', { id: 'tv-h', class: 'tv-slide__title' }, L(`Toàn tỉnh — ${fmtMonth(month.month)}`, `Whole province — ${fmtMonth(month.month)}`)),
        tiles(ov.now, month, { month: month.month, target: month.target, links: false }),
        h('div', { class: 'tv-cols' },
          h('div', { class: 'tv-col' },
            h('h3', null, L('Đơn vị xếp theo tỷ lệ đúng hạn (thấp nhất trước)', 'Units by on-time rate (lowest first)')),
            rankingTable(units, { limit: shown, links: false }),
            units.length > shown ? h('p', { class: 'muted' }, L(`và ${fmtInt(units.length - shown)} đơn vị khác`, `and ${fmtInt(units.length - shown)} more units`)) : null),
          h('div', { class: 'tv-col tv-col--pic' },
            h('h3', null, L('Xu hướng 12 tháng', 'Trend over 12 months')), pic.fig,
            h('div', { class: 'tv-month' }, monthFacts(month)))));
    },
    unitSlide(u, entry) {
      const d = entry ? entry.detail : null;
      const now = d ? d.now : u.now;
      const month = d ? d.month : u.month;
      const depts = d && Array.isArray(d.departments) ? d.departments.filter((x) => x.overdue_steps > 0).slice(0, 5) : null;
      const fields = d && Array.isArray(d.fields) ? d.fields.slice()
        .sort((a, b) => ((b.now && b.now.overdue) || 0) - ((a.now && a.now.overdue) || 0)).slice(0, 5) : null;
      const late = entry ? entry.late : [];
      const top = u.top_department;
      const noLate = h('p', { class: 'is-good' }, icon('✓'), L('Không có bước nào trễ hạn', 'No step is late'));
      return h('section', { class: 'tv-slide tv-slide--unit', 'data-testid': 'tv-slide', 'data-slide': `unit:${u.unit}`, 'aria-labelledby': 'tv-h' },
        h('h2', { id: 'tv-h', class: 'tv-slide__title' }, icon('⚑', 'tv-flag'), u.name || u.unit, h('span', { class: 'code' }, u.unit)),
        tiles(now, month, { month: app.ov.month && app.ov.month.month, links: false }),
        h('div', { class: 'tv-cols' },
          h('div', { class: 'tv-col' },
            h('h3', null, L('Phòng ban giữ bước trễ hạn', 'Departments holding late steps')),
            depts ? (depts.length ? h('table', { class: 'data' },
              thead(L('Phòng ban', 'Department'), { text: L('Bước trễ hạn', 'Overdue steps'), cls: 'num' }),
              h('tbody', null, depts.map((x) => h('tr', null, h('th', { scope: 'row' }, x.name || '—'),
                h('td', { class: 'num is-overdue' }, icon('⚠'), valueEl(x.overdue_steps, fmtInt(x.overdue_steps)))))))
              : noLate)
              : top && top.name ? h('p', null, L(`${top.name}: ${fmtInt(top.overdue_steps)} bước trễ hạn`, `${top.name}: ${fmtInt(top.overdue_steps)} late steps`)) : noLate,
            late.length ? [h('h3', { class: 'tv-sub' }, L('Hồ sơ quá hạn lâu nhất', 'Longest overdue dossiers')),
              h('table', { class: 'data' },
                thead(L('Mã hồ sơ', 'Dossier'), L('Thủ tục', 'Procedure'), L('Phòng ban đang giữ', 'Department'), L('Quá hạn', 'Overdue by')),
                h('tbody', null, late.map((it) => h('tr', { 'data-code': it.code },
                  h('td', { class: 'nowrap' }, h('span', { class: 'code code--plain' }, it.code)),
                  h('td', { class: 'clip' }, it.procedure_name || it.procedure_code),
                  h('td', { class: 'clip' }, it.department || '—'),
                  h('td', { class: 'is-overdue nowrap' }, icon('⚠'), isNum(it.left_working_seconds) ? workSpan(it.left_working_seconds) : '—')))))] : null),
          h('div', { class: 'tv-col' },
            fields && fields.length ? [h('h3', null, L('Lĩnh vực (nhiều hồ sơ quá hạn nhất trước)', 'Fields (most overdue first)')),
              h('table', { class: 'data' },
                thead(L('Lĩnh vực', 'Field'), { text: L('Đang xử lý', 'In process'), cls: 'num' }, { text: L('Quá hạn', 'Overdue'), cls: 'num' },
                  { text: L('Tỷ lệ đúng hạn tháng', 'On-time rate (month)'), cls: 'num' }),
                h('tbody', null, fields.map((f) => h('tr', null, h('th', { scope: 'row' }, f.name || f.field),
                  num(f.now && f.now.in_process),
                  h('td', { class: `num${f.now && f.now.overdue > 0 ? ' is-overdue' : ''}` }, f.now && f.now.overdue > 0 ? icon('⚠') : null, valueEl(f.now && f.now.overdue, fmtInt(f.now && f.now.overdue))),
                  h('td', { class: 'num' }, valueEl(f.month && f.month.on_time_rate, fmtPct(f.month && f.month.on_time_rate)))))))] : null,
            h('h3', { class: 'tv-sub' }, capital(fmtMonth(app.ov.month && app.ov.month.month))),
            h('div', { class: 'tv-month' }, monthFacts(month)))));
    },
  };

  // ---------------------------------------------------------------------------------------
  // One unit
  // ---------------------------------------------------------------------------------------

  const Unit = {
    init(main) {
      this.code = pathTail('/units/');
      setTitle(`${L('Đơn vị', 'Unit')} ${this.code}`);
      this.msg = messageBox();
      this.h1 = h('h1', null, this.code);
      this.codeEl = h('p', { class: 'page-head__code' }, h('span', { class: 'code' }, this.code));
      this.successorBox = h('div');
      this.tilesBox = h('div', { class: 'tiles-box' });
      this.monthTitle = h('h2', { id: 'h-unit-month' }, L('Trong tháng', 'This month'));
      this.monthBox = h('div');
      this.fieldsBox = h('div');
      this.deptBox = h('div');
      this.listBox = h('div');
      this.listMore = h('p', { class: 'more' });
      main.append(
        breadcrumb([[L('Tổng quan', 'Overview'), pageUrl('/')], [L('Đơn vị', 'Unit')]]),
        h('div', { class: 'page-head' }, this.h1, this.codeEl),
        this.msg.el,
        this.successorBox,
        this.tilesBox,
        h('div', { class: 'layout-2' },
          h('div', { class: 'layout-2__main' },
            section(L('Lĩnh vực', 'Fields'), 'fields', this.fieldsBox)),
          h('div', { class: 'layout-2__side' },
            h('section', { class: 'card', 'aria-labelledby': 'h-unit-month' }, this.monthTitle, this.monthBox),
            section(L('Phòng ban giữ bước trễ hạn', 'Departments holding overdue steps'), 'departments', this.deptBox))),
        section(L('Hồ sơ đang xử lý, khẩn cấp nhất trước', 'Dossiers in process, most urgent first'), 'unit-worklist', this.listBox, this.listMore));
      this.load = loader(this.msg, (cur) => this.fetch(cur), L('Không tìm thấy đơn vị', 'Unknown unit'));
      this.msg.show('loading', L('Đang tải…', 'Loading…'));
    },
    waiting(e) {
      this.msg.show(e && e.status === 503 ? 'loading' : 'error', describeError(e));
    },
    onPoll(ov, changed) {
      if (changed) this.load();
    },
    async fetch(cur) {
      const enc = encodeURIComponent(this.code);
      const [u, list] = await Promise.all([
        getJSON(`/api/v1/units/${enc}`),
        getJSON(apiUrl('/api/v1/dossiers', { unit: this.code, limit: 20 })),
      ]);
      if (!cur()) return;
      if (!changedSince(this, 'sig', [u.now, u.month, u.fields, u.departments, u.name, list.total, list.items])) return;
      if (isNum(u.day_seconds) && u.day_seconds > 0) app.day = u.day_seconds;
      const name = u.name || u.unit || this.code;
      this.h1.textContent = name;
      setTitle(name);
      // An ended unit's code shows the unit that took it over (the 2025 reorganisation).
      fill(this.successorBox, u.requested && u.unit !== u.requested
        ? h('div', { class: 'notice notice--warn', role: 'status', 'data-testid': 'unit-successor' },
          h('p', null, L('Đơn vị ', 'Unit '), h('code', null, u.requested),
            L(' đã kết thúc; hồ sơ của đơn vị này được tính cho đơn vị kế thừa ', ' has ended; its dossiers count under the unit that took it over, '),
            link(pageUrl(`/units/${encodeURIComponent(u.unit)}`), h('code', null, u.unit)), '.'))
        : null);
      const ovMonth = app.ov && app.ov.month ? app.ov.month.month : null;
      fill(this.tilesBox, tiles(u.now, u.month, { unit: this.code, month: ovMonth }));
      this.monthTitle.textContent = ovMonth ? capital(fmtMonth(ovMonth)) : L('Trong tháng', 'This month');
      fill(this.monthBox, monthFacts(u.month));
      fill(this.fieldsBox, tableWrap(fieldsTable(this.code, u.fields || []), L('Bảng lĩnh vực', 'Fields table')));
      fill(this.deptBox, deptTable(this.code, u.departments || []));
      const items = Array.isArray(list.items) ? list.items : [];
      keepFocus(this.listBox, () => fill(this.listBox, items.length
        ? worklistTable(items, 0, { hideUnit: true })
        : h('p', { class: 'empty is-good' }, L('Không có hồ sơ nào đang xử lý.', 'No dossier in process.'))));
      fill(this.listMore, link(pageUrl('/dossiers', { unit: this.code }),
        L(`Xem toàn bộ ${fmtInt(list.total)} hồ sơ đang xử lý của đơn vị →`, `See all ${fmtInt(list.total)} dossiers in process of this unit →`)));
    },
  };

  function breadcrumb(parts) {
    return h('nav', { class: 'breadcrumb', 'aria-label': L('Vị trí trang', 'Breadcrumb') },
      h('ol', null, parts.map(([text, href], i) => h('li', null,
        href ? link(href, text) : h('span', { 'aria-current': i === parts.length - 1 ? 'page' : null }, text)))));
  }

  function fieldsTable(unit, fields) {
    const body = h('tbody', null, fields.map((f) => {
      const n = f.now || {};
      const m = f.month || {};
      return h('tr', { 'data-testid': 'field-row', 'data-field': f.field },
        h('th', { scope: 'row' }, link(pageUrl('/dossiers', { unit, field: f.field }), f.name || f.field), h('span', { class: 'code' }, f.field)),
        num(n.in_process), num(n.due_soon),
        h('td', { class: `num${n.overdue > 0 ? ' is-overdue' : ''}` }, n.overdue > 0 ? icon('⚠') : null, valueEl(n.overdue, fmtInt(n.overdue))),
        num(n.paused), num(n.at_risk),
        num(m.received), num(m.resolved),
        h('td', { class: 'num' }, valueEl(m.on_time_rate, fmtPct(m.on_time_rate))));
    }));
    if (!fields.length) body.append(h('tr', null, h('td', { colspan: '9', class: 'empty' }, L('Chưa có lĩnh vực nào.', 'No field yet.'))));
    return h('table', { class: 'data data--fields' },
      h('caption', { class: 'sr-only' }, L('Lĩnh vực: hiện tại và trong tháng', 'Fields: now and this month')),
      h('thead', null,
        h('tr', null, h('td', { class: 'blank' }),
          h('th', { scope: 'colgroup', colspan: '5', class: 'group' }, L('Hiện tại', 'Now')),
          h('th', { scope: 'colgroup', colspan: '3', class: 'group' }, L('Trong tháng', 'This month'))),
        h('tr', null, h('th', { scope: 'col' }, L('Lĩnh vực', 'Field')),
          ...[L('Đang xử lý', 'In process'), L('Sắp đến hạn', 'Due soon'), L('Quá hạn', 'Overdue'), L('Tạm dừng', 'Paused'),
            L('Nguy cơ trễ', 'At risk'), L('Tiếp nhận', 'Received'), L('Đã giải quyết', 'Resolved'), L('Tỷ lệ đúng hạn', 'On-time rate')]
            .map((t) => h('th', { scope: 'col', class: 'num' }, t)))),
      body);
  }
  function deptTable(unit, depts) {
    if (!depts.length) return h('p', { class: 'is-good' }, icon('✓'), L('Không có phòng ban nào giữ bước trễ hạn.', 'No department holds a late step.'));
    const withLoad = depts.some((d) => isNum(d.in_process));
    return tableWrap(h('table', { class: 'data data--departments' },
      h('caption', { class: 'sr-only' }, L('Phòng ban, nhiều bước trễ hạn nhất trước', 'Departments, most overdue steps first')),
      thead(L('Phòng ban', 'Department'), { text: L('Bước trễ hạn', 'Overdue steps'), cls: 'num' }, withLoad ? { text: L('Đang xử lý', 'In process'), cls: 'num' } : null),
      h('tbody', null, depts.map((d) => h('tr', { 'data-testid': 'department-row' },
        h('th', { scope: 'row' }, d.name ? link(pageUrl('/dossiers', { unit, department: d.name }), d.name) : L('(không rõ phòng ban)', '(no department)')),
        h('td', { class: `num${d.overdue_steps > 0 ? ' is-overdue' : ''}` }, d.overdue_steps > 0 ? icon('⚠') : null, valueEl(d.overdue_steps, fmtInt(d.overdue_steps))),
        withLoad ? num(d.in_process) : null)))), L('Bảng phòng ban', 'Departments table'));
  }

  // ---------------------------------------------------------------------------------------
  // The work list
  // ---------------------------------------------------------------------------------------

  const STATE_FILTERS = [
    ['', L('Tất cả hồ sơ đang xử lý', 'All in process')],
    ['overdue', L('Quá hạn', 'Overdue')],
    ['due_soon', L('Sắp đến hạn', 'Due soon')],
    ['at_risk', L('Có nguy cơ trễ hạn', 'At risk')],
    ['paused', L('Tạm dừng', 'Paused')],
    ['in_time', L('Trong hạn', 'In time')],
  ];

  const Worklist = {
    init(main) {
      setTitle(L('Hồ sơ đang xử lý', 'Dossiers in process'));
      const p = (k) => PARAMS.get(k) || '';
      this.filters = { state: p('state'), unit: p('unit'), field: p('field'), department: p('department'), within: p('within') };
      const off = Number(p('offset'));
      this.offset = Number.isInteger(off) && off >= 0 ? off : 0;
      const lim = Number(p('limit'));
      this.limit = Number.isInteger(lim) && lim >= 1 && lim <= 1000 ? lim : 50;
      this.msg = messageBox();
      this.summary = h('p', { class: 'summary', 'data-testid': 'worklist-total' });
      this.tableBox = h('div');
      this.pagerTop = h('nav', { class: 'pager', 'aria-label': L('Phân trang (trên)', 'Pages (top)') });
      this.pager = h('nav', { class: 'pager', 'aria-label': L('Phân trang', 'Pages') });
      this.unitSelect = h('select', { name: 'unit', id: 'f-unit' });
      // Suggestions for the exact names the filters need, gathered from what was seen.
      this.fieldList = h('datalist', { id: 'dl-fields' });
      this.deptList = h('datalist', { id: 'dl-departments' });
      this.seenFields = new Set();
      this.seenDepts = new Set();
      this.fillUnits([]);
      main.append(
        h('div', { class: 'page-head' }, h('h1', null, L('Hồ sơ đang xử lý', 'Dossiers in process')),
          h('p', { class: 'muted' }, L('Khẩn cấp nhất trước: hạn xử lý sớm nhất ở trên cùng.', 'Most urgent first: the earliest effective due on top.'))),
        this.form(),
        this.msg.el,
        h('section', { class: 'card card--flush', 'aria-labelledby': 'h-list' },
          h('h2', { id: 'h-list', class: 'sr-only' }, L('Danh sách hồ sơ', 'The dossiers')),
          h('div', { class: 'list-head' }, this.summary, this.pagerTop),
          this.tableBox, this.pager));
      this.load = loader(this.msg, (cur) => this.fetch(cur));
      this.msg.show('loading', L('Đang tải…', 'Loading…'));
    },
    form() {
      const f = this.filters;
      const field = (id, label, control, hint) => h('div', { class: 'field' },
        h('label', { for: id }, label), control, hint ? h('span', { class: 'hint', id: `${id}-hint` }, hint) : null);
      const stateSel = h('select', { name: 'state', id: 'f-state' },
        STATE_FILTERS.map(([v, t]) => h('option', { value: v, selected: f.state === v }, t)));
      if (f.state && !STATE_FILTERS.some(([v]) => v === f.state)) stateSel.append(h('option', { value: f.state, selected: true }, f.state));
      const form = h('form', { class: 'filters card', method: 'get', action: '/dossiers', role: 'search', 'aria-label': L('Lọc hồ sơ', 'Filter the dossiers') },
        field('f-state', L('Trạng thái', 'State'), stateSel),
        field('f-unit', L('Đơn vị', 'Unit'), this.unitSelect),
        field('f-field', L('Lĩnh vực (mã)', 'Field (code)'), [h('input', { type: 'text', name: 'field', id: 'f-field', value: f.field, autocomplete: 'off', spellcheck: 'false', list: 'dl-fields' }), this.fieldList]),
        field('f-department', L('Phòng ban', 'Department'), [h('input', { type: 'text', name: 'department', id: 'f-department', value: f.department, autocomplete: 'off', list: 'dl-departments' }), this.deptList]),
        field('f-within', L('Hạn trong (ngày làm việc)', 'Due within (working days)'),
          h('input', { type: 'number', name: 'within', id: 'f-within', value: f.within, min: '0.5', max: '1000', step: '0.5', inputmode: 'decimal', placeholder: L('ví dụ 1, 2, 3', 'e.g. 1, 2, 3') })),
        LINK_LANG ? h('input', { type: 'hidden', name: 'lang', value: LINK_LANG }) : null,
        h('div', { class: 'filters__actions' },
          h('button', { type: 'submit', class: 'button button--primary' }, L('Lọc', 'Filter')),
          link(pageUrl('/dossiers'), L('Xoá bộ lọc', 'Clear filters'))));
      // Empty filters stay out of the URL (the API refuses an empty within=).
      form.addEventListener('submit', () => {
        for (const el of form.elements) if (el.name && !el.value) el.disabled = true;
        setTimeout(() => { for (const el of form.elements) el.disabled = false; }, 0);
      });
      return form;
    },
    fillUnits(units) {
      const cur = this.filters.unit;
      const opts = [h('option', { value: '' }, L('Tất cả đơn vị', 'All units'))];
      const sorted = units.slice().sort((a, b) => String(a.name || a.unit).localeCompare(String(b.name || b.unit), LANG));
      for (const u of sorted) opts.push(h('option', { value: u.unit, selected: u.unit === cur }, `${u.name || u.unit} (${u.unit})`));
      if (cur && !units.some((u) => u.unit === cur)) opts.push(h('option', { value: cur, selected: true }, cur));
      fill(this.unitSelect, ...opts);
    },
    waiting(e) {
      this.msg.show(e && e.status === 503 ? 'loading' : 'error', describeError(e));
    },
    onPoll(ov, changed, first) {
      if (first) this.fillUnits(Array.isArray(ov.units) ? ov.units : []);
      this.suggest([], (ov.units || []).map((u) => u.top_department && u.top_department.name));
      if (changed) this.load();
    },
    suggest(fields, depts) {
      const add = (set, list, values) => {
        const before = set.size;
        for (const v of values) if (v) set.add(v);
        if (set.size !== before) fill(list, Array.from(set).sort((a, b) => a.localeCompare(b, LANG)).map((v) => h('option', { value: v })));
      };
      add(this.seenFields, this.fieldList, fields);
      add(this.seenDepts, this.deptList, depts);
    },
    /** The filters in words: "Quá hạn · Sở Khoa học và Công nghệ · lĩnh vực ATBXHN". */
    filterWords() {
      const f = this.filters;
      const out = [];
      const st = STATE_FILTERS.find(([v]) => v === f.state);
      if (f.state) out.push(st ? st[1] : f.state);
      if (f.unit) {
        const u = app.ov && Array.isArray(app.ov.units) ? app.ov.units.find((x) => x.unit === f.unit) : null;
        out.push(u && u.name ? u.name : f.unit);
      }
      if (f.field) out.push(L(`lĩnh vực ${f.field}`, `field ${f.field}`));
      if (f.department) out.push(f.department);
      if (f.within) {
        const n = Number(f.within);
        const w = Number.isFinite(n) ? fmtDec(n, 2) : f.within;
        out.push(L(`hạn trong ${w} ngày làm việc`, `due within ${w} working days`));
      }
      return out.join(' · ');
    },
    apiParams(offset) {
      return Object.assign({}, this.filters, { offset, limit: this.limit });
    },
    async fetch(cur) {
      const data = await getJSON(apiUrl('/api/v1/dossiers', this.apiParams(this.offset)));
      if (!cur()) return;
      if (!changedSince(this, 'sig', [data.total, data.offset, data.items])) return;
      const items = Array.isArray(data.items) ? data.items : [];
      const total = isNum(data.total) ? data.total : items.length;
      const offset = isNum(data.offset) ? data.offset : this.offset;
      this.summary.setAttribute('data-value', String(total));
      this.suggest(items.map((it) => it.field), items.map((it) => it.department));
      const words = this.filterWords();
      fill(this.summary,
        h('strong', null, L(`${fmtInt(total)} hồ sơ`, `${fmtInt(total)} dossier${total === 1 ? '' : 's'}`)),
        words ? h('span', null, L(' — lọc: ', ' — filtered: '), words) : null,
        items.length ? L(` · hiển thị ${fmtInt(offset + 1)}–${fmtInt(offset + items.length)}`, ` · showing ${fmtInt(offset + 1)}–${fmtInt(offset + items.length)}`) : '',
        data.as_of ? h('span', { class: 'muted' }, L(' · tính đến ', ' · as of '), timeEl(data.as_of)) : null);
      keepFocus(this.tableBox, () => fill(this.tableBox, items.length
        ? tableWrap(worklistTable(items, offset), L('Bảng hồ sơ', 'Dossiers table'))
        : h('p', { class: 'empty' }, total > 0 ? L('Trang này không có hồ sơ.', 'No dossier on this page.')
          : L('Không có hồ sơ nào khớp bộ lọc.', 'No dossier matches the filters.'))));
      const pages = this.pages(total, offset);
      fill(this.pager, ...pages());
      fill(this.pagerTop, ...pages());
    },
    pages(total, offset) {
      const limit = this.limit;
      const pageCount = Math.max(1, Math.ceil(total / limit));
      const current = Math.floor(offset / limit) + 1;
      const to = (o) => pageUrl('/dossiers', Object.assign({}, this.filters, { offset: o || null, limit: limit === 50 ? null : limit }));
      const item = (label, o, enabled, rel) => (enabled
        ? h('a', { href: to(o), class: 'pager__link', rel: rel || null }, label)
        : h('span', { class: 'pager__link is-disabled', 'aria-disabled': 'true' }, label));
      return () => [
        item(L('« Đầu', '« First'), 0, current > 1),
        item(L('‹ Trước', '‹ Previous'), Math.max(0, offset - limit), offset > 0, 'prev'),
        h('span', { class: 'pager__pos' }, L(`Trang ${fmtInt(current)}/${fmtInt(pageCount)}`, `Page ${fmtInt(current)} of ${fmtInt(pageCount)}`)),
        item(L('Sau ›', 'Next ›'), offset + limit, offset + limit < total, 'next'),
        item(L('Cuối »', 'Last »'), (pageCount - 1) * limit, current < pageCount),
      ];
    },
  };

  // ---------------------------------------------------------------------------------------
  // One dossier: the explanation
  // ---------------------------------------------------------------------------------------

  const Dossier = {
    init(main) {
      this.code = pathTail('/dossiers/');
      setTitle(`${L('Hồ sơ', 'Dossier')} ${this.code}`);
      this.msg = messageBox();
      this.content = h('div', { class: 'dossier' });
      this.pic = picture('timeline', 'chart--timeline');
      this.picSection = section(L('Dòng thời gian', 'Timeline'), 'timeline', this.pic.fig,
        h('p', { class: 'muted small' }, L('Các mốc và bước xử lý có trong bảng "Các bước xử lý".', 'The moments and steps are also in the "Steps" table.')));
      this.picSection.hidden = true;
      main.append(
        breadcrumb([[L('Hồ sơ đang xử lý', 'Dossiers in process'), pageUrl('/dossiers')], [this.code]]),
        h('div', { class: 'page-head' }, h('h1', null, L('Hồ sơ ', 'Dossier '), h('span', { class: 'code code--big' }, this.code))),
        this.msg.el, this.content, this.picSection);
      this.load = loader(this.msg, (cur) => this.fetch(cur), L('Không tìm thấy hồ sơ', 'No such dossier'));
      this.msg.show('loading', L('Đang tải…', 'Loading…'));
    },
    waiting(e) {
      this.msg.show(e && e.status === 503 ? 'loading' : 'error', describeError(e));
    },
    onPoll(ov, changed) {
      if (changed) this.load();
    },
    async fetch(cur) {
      const d = await getJSON(`/api/v1/dossiers/${encodeURIComponent(this.code)}`);
      if (!cur()) return;
      const facts = Object.assign({}, d, { as_of: null });
      if (!changedSince(this, 'sig', facts)) return;
      keepFocus(this.content, () => fill(this.content, ...dossierView(d)));
      // The picture is drawn up to now: new when a fact changed, else once a minute.
      const moments = Object.assign({}, facts, {
        used_working_seconds: null, used_working_days: null, left_working_seconds: null, paused_working_seconds: null,
        steps: null, pauses: (d.pauses || []).map((x) => x.from),
      });
      const stepsDone = (d.steps || []).map((x) => [x.department, x.start, x.end, x.deadline, x.overdue]);
      const now = Date.now();
      if (changedSince(this, 'sigPic', [moments, stepsDone]) || !this.picAt || now - this.picAt > 60000) {
        this.picAt = now;
        this.pic.set(svgUrl(`/api/v1/dossiers/${encodeURIComponent(this.code)}/timeline.svg`), timelineAlt(d));
      }
      this.picSection.hidden = false;
      // The timeline goes before the steps table.
      const steps = $('[data-section="steps"]', this.content);
      if (steps) this.content.insertBefore(this.picSection, steps);
    },
  };

  function timelineAlt(d) {
    const steps = Array.isArray(d.steps) ? d.steps : [];
    const late = steps.filter((s) => s.overdue).length;
    return L(`Dòng thời gian hồ sơ ${d.code}: tiếp nhận ${fmtMoment(d.received)}, hạn xử lý ${fmtMoment(d.effective_due)}`
      + `${d.end ? `, kết thúc ${fmtMoment(d.end)}` : ''}; ${steps.length} bước xử lý, ${late} bước quá hạn`
      + `${(d.pauses || []).length ? `; ${(d.pauses || []).length} lần tạm dừng` : ''}. Chi tiết trong bảng các bước.`,
    `Timeline of dossier ${d.code}: received ${fmtMoment(d.received)}, effective due ${fmtMoment(d.effective_due)}`
      + `${d.end ? `, ended ${fmtMoment(d.end)}` : ''}; ${steps.length} steps, ${late} overdue`
      + `${(d.pauses || []).length ? `; ${(d.pauses || []).length} pauses` : ''}. Details in the steps table.`);
  }

  function dossierSummary(d) {
    const badges = [];
    if (d.outcome) badges.push(stateBadge(null, d.outcome));
    else if (d.state) badges.push(stateBadge(d.state));
    if (d.at_risk) badges.push(riskBadge());
    if (d.paused_now && d.state !== 'paused') badges.push(stateBadge('paused'));
    const late = isNum(d.left_working_seconds) && d.left_working_seconds < 0;
    let headline;
    if (!d.counted) {
      headline = L(`Không tính vào số liệu: ${EXCLUSIONS[d.exclusion] || d.exclusion || ''}`, `Not counted: ${EXCLUSIONS[d.exclusion] || d.exclusion || ''}`);
    } else if (d.ended) {
      headline = d.outcome === 'overdue'
        ? L(`Đã kết thúc, quá hạn ${workSpan(-(d.left_working_seconds || 0))} làm việc`, `Ended ${workSpan(-(d.left_working_seconds || 0))} overdue (working time)`)
        : L(`Đã kết thúc ${OUTCOMES[d.outcome] ? OUTCOMES[d.outcome].text.toLowerCase() : ''}`, `Ended ${OUTCOMES[d.outcome] ? OUTCOMES[d.outcome].text.toLowerCase() : ''}`);
    } else {
      headline = capital(workLeft(d.left_working_seconds))
        + (d.paused_now ? L(' (đồng hồ đang dừng: chờ người nộp)', ' (clock stopped: waiting for the applicant)') : '');
    }
    const proc = d.procedure || {};
    return h('section', { class: `card summary-card${(d.outcome === 'overdue' || d.state === 'overdue') ? ' summary-card--overdue' : ''}`, 'aria-label': L('Tóm tắt', 'Summary'), 'data-testid': 'dossier-summary' },
      h('div', { class: 'summary-card__badges', 'data-testid': 'dossier-state' }, badges),
      h('p', { class: `summary-card__headline${late ? ' is-overdue' : ''}`, 'data-value': String(d.left_working_seconds) }, late ? icon('⚠') : null, headline),
      h('p', { class: 'summary-card__proc' }, proc.name || L('(thủ tục không có tên)', '(no procedure name)'), ' ', h('span', { class: 'code' }, proc.code)),
      h('dl', { class: 'facts facts--inline' },
        fact(L('Đơn vị', 'Unit'), d.unit && d.unit.code ? link(pageUrl(unitPath(d.unit.code)), d.unit.name || d.unit.code) : '—'),
        fact(L('Hạn xử lý', 'Effective due'), timeEl(d.effective_due)),
        fact(L('Tính đến', 'As of'), timeEl(d.as_of))));
  }

  function dossierView(d) {
    const proc = d.procedure || {};
    const dl = (...rows) => h('dl', { class: 'facts' }, rows);
    const out = [dossierSummary(d)];

    const procedure = section(L('Thủ tục và thời hạn', 'Procedure and limits'), 'procedure', dl(
      fact(L('Thủ tục', 'Procedure'), proc.name || '—', ' ', h('span', { class: 'code' }, proc.code)),
      fact(L('Trong danh mục', 'In the catalogue'), proc.in_catalogue ? L('Có', 'Yes')
        : h('span', { class: 'is-warn' }, icon('⚠'), L('Không: hạn theo ngày hẹn trả (NgayHenTra)', 'No: judged by NgayHenTra'))),
      proc.in_catalogue ? fact(L('Thời hạn theo quy định', 'Legal limit'), limitText(proc.legal_limit)) : null,
      proc.in_catalogue ? fact(L('Thời hạn đã rút ngắn', 'Reduced limit'), limitText(proc.reduced_limit)) : null,
      proc.in_catalogue ? fact(L('Thời hạn nộp trực tuyến', 'Online limit'), limitText(proc.online_limit)) : null,
      fact(L('Thời hạn áp dụng', 'Operative limit'), h('strong', null, limitText(proc.operative_limit))),
      fact(L('Đơn vị', 'Unit'), d.unit ? [d.unit.name || '', ' ', h('span', { class: 'code' }, d.unit.code)] : '—'),
      fact(L('Lĩnh vực', 'Field'), d.field ? [d.field.name || '', ' ', h('span', { class: 'code' }, d.field.code)] : '—'),
      fact(L('Hình thức nộp', 'Channel'), CHANNELS[d.channel] || d.channel || '—'),
      fact(L('Trạng thái hồ sơ', 'Dossier status'), d.status ? `${d.status.code} · ${statusName(d.status)}` : '—'),
      fact(L('Tính vào số liệu', 'Counted'), d.counted ? L('Có', 'Yes')
        : h('span', { class: 'is-warn' }, L(`Không: ${EXCLUSIONS[d.exclusion] || d.exclusion}`, `No: ${EXCLUSIONS[d.exclusion] || d.exclusion}`)))));

    const dueHistory = Array.isArray(d.due_history) ? d.due_history : [];
    const moments = section(L('Các mốc thời gian', 'Moments'), 'moments', dl(
      fact(L('Tiếp nhận', 'Received'), timeEl(d.received)),
      fact(L('Bắt đầu tính thời gian', 'Clock start'), timeEl(d.clock_start),
        d.clock_start && d.received && d.clock_start !== d.received
          ? h('span', { class: 'muted' }, L(' (nhận ngoài giờ làm việc: tính từ thời điểm làm việc kế tiếp)', ' (received outside working hours: from the next working moment)')) : null),
      fact(L('Hạn tính theo danh mục', 'Computed due'), timeEl(d.computed_due)),
      fact(L('Hạn gốc', 'Base due'), timeEl(d.base_due),
        h('span', { class: 'muted' }, ` — ${BASE_DUE_SOURCES[d.base_due_source] || d.base_due_source || ''}`)),
      d.due_mismatch ? fact(L('Lệch hạn', 'Due mismatch'), h('span', { class: 'is-warn' }, icon('⚠'),
        L('Ngày hẹn trả khác hạn tính theo danh mục (giữ giá trị của hệ thống nguồn)', 'NgayHenTra differs from the computed due (the source\'s value is kept)'))) : null,
      dueHistory.length > 1 ? fact(L('Các ngày hẹn trả đã nhận', 'NgayHenTra values received'),
        h('ol', { class: 'plain-list' }, dueHistory.map((x) => h('li', null, timeEl(x))))) : null,
      fact(L('Hạn xử lý (sau tạm dừng)', 'Effective due (after pauses)'), h('strong', null, timeEl(d.effective_due))),
      d.restart_from ? fact(L('Tính lại thời hạn từ', 'Limit restarted from'), timeEl(d.restart_from)) : null,
      fact(L('Kết thúc', 'End'), d.ended ? [timeEl(d.end), h('span', { class: 'muted' }, ` — ${END_SOURCES[d.end_source] || d.end_source || ''}`)]
        : h('span', { class: 'muted' }, L('chưa kết thúc', 'not ended'))),
      fact(L('Kết quả', 'Outcome'), d.outcome ? stateBadge(null, d.outcome) : d.state ? [L('Đang xử lý: ', 'In process: '), stateBadge(d.state)] : '—',
        d.at_risk ? riskBadge() : null)));

    const time = section(L('Thời gian làm việc', 'Working time'), 'working-time', dl(
      fact(L('Đã dùng', 'Used'), h('span', { 'data-value': String(d.used_working_seconds) }, workDuration(d.used_working_seconds)),
        isNum(d.used_working_days) ? h('span', { class: 'muted' }, L(` (${fmtDec(d.used_working_days, 2)} ngày làm việc)`, ` (${fmtDec(d.used_working_days, 2)} working days)`)) : null),
      fact(d.ended ? L('So với hạn', 'Against the due') : L('Còn lại', 'Left'),
        h('span', { class: isNum(d.left_working_seconds) && d.left_working_seconds < 0 ? 'is-overdue' : null, 'data-value': String(d.left_working_seconds) },
          isNum(d.left_working_seconds) && d.left_working_seconds < 0 ? icon('⚠') : null, workLeft(d.left_working_seconds))),
      fact(L('Tạm dừng (tổng)', 'Paused (total)'), workDuration(d.paused_working_seconds),
        d.paused_now ? h('span', { class: 'badge badge--paused' }, icon('‖'), L('đang tạm dừng', 'paused now')) : null),
      fact(L('Cách tính tạm dừng', 'Pause policy'), PAUSE_POLICIES[d.pause_policy] || d.pause_policy || '—')));

    out.push(h('div', { class: 'grid-cards' }, procedure, moments, time));

    const pauses = Array.isArray(d.pauses) ? d.pauses : [];
    const rounds = Array.isArray(d.supplement_rounds) ? d.supplement_rounds : [];
    const ext = Array.isArray(d.extensions) ? d.extensions : [];
    const requests = Array.isArray(d.supplement_requests) ? d.supplement_requests : [];
    const flags = Array.isArray(d.flags) ? d.flags : [];
    const side = [];
    side.push(section(L('Tạm dừng và bổ sung hồ sơ', 'Pauses and supplementation'), 'pauses',
      pauses.length ? tableWrap(h('table', { class: 'data' },
        h('caption', null, L('Các lần tạm dừng', 'Pauses')),
        thead(L('Từ', 'From'), L('Đến', 'To'), { text: L('Thời gian làm việc', 'Working time'), cls: 'num' }),
        h('tbody', null, pauses.map((p) => h('tr', { 'data-testid': 'pause-row' },
          h('td', null, timeEl(p.from)), h('td', null, timeEl(p.to)),
          h('td', { class: 'num', 'data-value': String(p.working_seconds) }, workDuration(p.working_seconds)))))), L('Các lần tạm dừng', 'Pauses'))
        : h('p', { class: 'muted' }, L('Không có lần tạm dừng nào.', 'No pause.')),
      rounds.length ? tableWrap(h('table', { class: 'data' },
        h('caption', null, L(`Các lần yêu cầu bổ sung (${rounds.length})`, `Supplementation rounds (${rounds.length})`)),
        thead(L('Yêu cầu', 'Requested'), L('Nhận bổ sung', 'Received'), L('Hẹn trả trước', 'Due before'), L('Hẹn trả sau', 'Due after')),
        h('tbody', null, rounds.map((r) => h('tr', { 'data-testid': 'round-row' },
          h('td', null, timeEl(r.requested)), h('td', null, timeEl(r.received)), h('td', null, timeEl(r.due_before)), h('td', null, timeEl(r.due_after)))))),
      L('Các lần yêu cầu bổ sung', 'Supplementation rounds')) : null,
      requests.length > 1 ? h('p', { class: 'is-warn' }, icon('⚠'),
        L(`${requests.length} lần yêu cầu bổ sung: tính là quá hạn trong chỉ số 766 (ước tính).`, `${requests.length} supplementation requests: counted overdue in the Decision 766 estimate.`)) : null));
    side.push(section(L('Gia hạn và cảnh báo dữ liệu', 'Extensions and data flags'), 'flags',
      ext.length ? [h('h3', null, L('Gia hạn', 'Extensions')),
        h('ul', { class: 'plain-list' }, ext.map((x) => h('li', null, L('Ngày hẹn trả đổi thành ', 'NgayHenTra changed to '), timeEl(x))))]
        : h('p', { class: 'muted' }, L('Không gia hạn.', 'No extension.')),
      flags.length ? [h('h3', null, L('Cảnh báo dữ liệu', 'Data flags')),
        h('ul', { class: 'plain-list', 'data-testid': 'flags' }, flags.map((f) => h('li', { 'data-flag': f }, icon('⚑'), FLAGS[f] || f, ' ', h('span', { class: 'code' }, f))))]
        : h('p', { class: 'muted' }, L('Không có cảnh báo dữ liệu.', 'No data flag.')),
      d.calendar ? h('p', { class: 'muted small' }, L('Lịch làm việc: ', 'Working calendar: '), h('code', null, d.calendar.version || '—'),
        d.calendar.provisional ? h('span', { class: 'is-warn' }, ' ', icon('⚠'), L('lịch nghỉ năm nay là tạm tính', 'this year\'s holiday table is provisional')) : null) : null));
    out.push(h('div', { class: 'grid-cards grid-cards--2' }, side));

    out.push(stepsSection(d));
    const reasons = Array.isArray(d.reasons) ? d.reasons : [];
    out.push(section(L('Giải thích (tiếng Anh)', 'Reasons'), 'reasons',
      h('ol', { class: 'reasons', lang: 'en', 'data-testid': 'reasons' }, reasons.map((r) => h('li', null, r)))));
    return out;
  }

  function stepsSection(d) {
    const steps = Array.isArray(d.steps) ? d.steps : [];
    const withHandler = steps.some((s) => s.handler || s.handler_title);
    const withAction = steps.some((s) => s.action);
    const cols = [
      { text: '#', cls: 'num' }, L('Phòng ban', 'Department'), L('Trạng thái', 'Status'),
      L('Bắt đầu', 'Start'), L('Hạn bước', 'Deadline'), L('Kết thúc', 'End'),
      L('Trễ (thời gian làm việc)', 'Late (working time)'), L('Đúng/quá hạn', 'Overdue?'),
    ];
    if (withHandler) cols.push(L('Người xử lý', 'Handler'));
    if (withAction) cols.push(L('Nội dung', 'Action'));
    const labels = cols.map((c) => (typeof c === 'string' ? c : c.text));
    const td = (i, attrs, ...kids) => h('td', Object.assign({ 'data-label': labels[i] }, attrs || {}), h('div', { class: 'cell' }, kids));
    const rows = steps.map((s, i) => {
      const cells = [
        td(0, { class: 'num seq' }, String(i + 1)),
        td(1, null, s.department || h('span', { class: 'muted' }, L('(không rõ)', '(none)'))),
        td(2, null, statusName(s.status)),
        td(3, { class: 'nowrap' }, timeEl(s.start)),
        td(4, { class: 'nowrap' }, s.deadline ? timeEl(s.deadline) : h('span', { class: 'muted' }, L('không có', 'none'))),
        td(5, { class: 'nowrap' }, s.end ? timeEl(s.end) : h('span', { class: 'muted' }, L('đang xử lý', 'open'))),
        td(6, { 'data-value': String(s.late_working_seconds) }, s.late_working_seconds > 0 ? workDuration(s.late_working_seconds) : '—'),
        td(7, null, s.overdue ? h('span', { class: 'badge badge--overdue' }, icon('⚠'), L('Quá hạn', 'Overdue'))
          : h('span', { class: 'muted' }, s.deadline ? L('Trong hạn', 'In time') : '—')),
      ];
      if (withHandler) cells.push(td(8, null, [s.handler || '', s.handler_title ? h('span', { class: 'muted' }, ` (${s.handler_title})`) : null]));
      if (withAction) cells.push(td(withHandler ? 9 : 8, null, s.action || ''));
      return h('tr', { 'data-testid': 'step-row', class: s.overdue ? 'row--overdue' : null, 'data-overdue': s.overdue ? 'true' : 'false' }, cells);
    });
    return section(L('Các bước xử lý', 'Steps'), 'steps',
      steps.length ? tableWrap(h('table', { class: 'data data--steps stack-on-phone', 'data-testid': 'steps-table' },
        h('caption', { class: 'sr-only' }, L('Các bước xử lý theo thứ tự thời gian', 'Steps in time order')),
        thead(...cols), h('tbody', null, rows)), L('Bảng các bước xử lý', 'Steps table'))
        : h('p', { class: 'muted' }, L('Chưa có bước xử lý nào.', 'No step yet.')));
  }

  // ---------------------------------------------------------------------------------------
  // Reports
  // ---------------------------------------------------------------------------------------

  const FORMAT_NAMES = { html: 'HTML', xlsx: 'Excel (XLSX)', csv: 'CSV', json: 'JSON' };

  /** The periods the reports page offers: the months, or the quarters, half-years or years. */
  const PERIOD_KINDS = [
    ['month', L('Tháng', 'Month')],
    ['quarter', L('Quý', 'Quarter')],
    ['half_year', L('6 tháng', 'Half-year')],
    ['year', L('Năm', 'Year')],
  ];

  const Reports = {
    init(main) {
      setTitle(L('Báo cáo', 'Reports'));
      this.msg = messageBox();
      this.list = h('div', { class: 'report-months' });
      this.intro = h('p', { class: 'muted' });
      this.periodKind = 'month';
      this.startDay = ''; // '': the configured cut-off
      this.configuredDay = 0;
      main.append(
        h('div', { class: 'page-head' }, h('h1', null, L('Báo cáo định kỳ', 'Periodic reports')), this.intro),
        this.form(), this.msg.el, this.list);
      this.load = loader(this.msg, (cur) => this.fetch(cur));
      this.last = '';
      this.msg.show('loading', L('Đang tải…', 'Loading…'));
    },
    /** The kind of period and the cut-off: chosen here, the list follows. */
    form() {
      const field = (id, label, control) => h('div', { class: 'field' }, h('label', { for: id }, label), control);
      const kind = h('select', { name: 'period_kind', id: 'r-kind', 'data-testid': 'period-kind' },
        PERIOD_KINDS.map(([v, t]) => h('option', { value: v, selected: v === this.periodKind }, t)));
      this.daySelect = h('select', { name: 'period_start_day', id: 'r-day', 'data-testid': 'period-start-day' });
      this.fillDays();
      const changed = () => {
        this.periodKind = kind.value;
        this.startDay = this.daySelect.value;
        this.last = '';
        this.msg.show('loading', L('Đang tải…', 'Loading…'));
        this.load();
      };
      kind.addEventListener('change', changed);
      this.daySelect.addEventListener('change', changed);
      return h('form', { class: 'filters card', 'aria-label': L('Chọn kỳ báo cáo', 'Choose the period') },
        field('r-kind', L('Kỳ báo cáo', 'Period'), kind),
        field('r-day', L('Cách chốt kỳ', 'Cut-off'), this.daySelect));
    },
    fillDays() {
      const cur = this.startDay;
      const days = [...new Set([this.configuredDay || 1, 1, 15])];
      const configured = this.configuredDay || 1;
      fill(this.daySelect,
        h('option', { value: '', selected: cur === '' }, L(`Theo thiết lập (ngày ${configured})`, `As configured (day ${configured})`)),
        days.map((d) => h('option', { value: String(d), selected: cur === String(d) },
          d === 1 ? L('Tháng dương lịch', 'Calendar months') : L(`Từ ngày ${d} tháng trước`, `From day ${d} of the month before`))));
    },
    waiting(e) {
      this.msg.show(e && e.status === 503 ? 'loading' : 'error', describeError(e));
    },
    onPoll(ov, changed, first) {
      const month = ov.month && ov.month.month;
      const now = Date.now();
      if (first || month !== this.month || (changed && now - this.loadedAt > 60000)) {
        this.month = month;
        this.loadedAt = now;
        this.load();
      }
    },
    async fetch(cur) {
      const params = { period_kind: this.periodKind === 'month' ? null : this.periodKind, period_start_day: this.startDay };
      const r = await getJSON(apiUrl('/api/v1/reports', params));
      if (!cur()) return;
      const periods = Array.isArray(r.months) ? r.months : Array.isArray(r.periods) ? r.periods : [];
      const sig = JSON.stringify([periods, r.kinds, r.formats, r.period_start_day, this.periodKind]);
      if (sig === this.last) return; // nothing new: keep any comparison on screen
      this.last = sig;
      if (this.startDay === '' && r.period_start_day && r.period_start_day !== this.configuredDay) {
        this.configuredDay = r.period_start_day;
        this.fillDays();
      }
      const kinds = Array.isArray(r.kinds) && r.kinds.length ? r.kinds : ['results', 'reduction', 'index766'];
      const formats = Array.isArray(r.formats) && r.formats.length ? r.formats : ['html', 'xlsx', 'csv', 'json'];
      this.intro.textContent = L(
        `Mỗi kỳ báo cáo bắt đầu từ ${dayName(r.period_start_day || 1)}; quý, 6 tháng và năm gồm trọn các tháng của kỳ. Kỳ đã khoá sổ có bản chốt số liệu; nút "So sánh với bản chốt" cho biết số liệu đã thay đổi thế nào kể từ khi chốt.`,
        `Each period starts on ${dayName(r.period_start_day || 1)}; quarters, half-years and years are whole months. A closed period has a frozen snapshot; "Compare with the snapshot" lists what changed since it was frozen.`);
      const days = this.startDay ? { period_start_day: this.startDay } : {};
      // Years listed: the phase review of a span of them comes first (the commendation council's).
      const years = this.periodKind === 'year' ? periods.map((m) => m.period).filter((y) => /^\d{4}$/.test(y)) : [];
      fill(this.list, ...(years.length ? [reviewCard(years, formats, days)] : []),
        ...(periods.length ? periods.map((m) => periodCard(m, kinds, formats, days))
          : [h('p', { class: 'empty card' }, L('Chưa có kỳ nào có số liệu.', 'No period with data yet.'))]));
    },
  };

  /** "ngày 1 hằng tháng (tháng dương lịch)", "ngày 15 tháng trước". */
  function dayName(d) {
    return +d === 1 ? L('ngày 1 (tháng dương lịch)', 'day 1 (calendar months)')
      : L(`ngày ${d} tháng trước`, `day ${d} of the month before`);
  }

  /** A period's name: a month's as the months are shown; the others' as the server names them. */
  function periodName(m) {
    if (m.month) return fmtMonth(m.month);
    const y = /^(\d{4})(?:-([QH])(\d))?$/.exec(m.period || '');
    if (!y) return m.name || m.period || '';
    if (!y[2]) return L(`năm ${y[1]}`, `year ${y[1]}`);
    if (y[2] === 'Q') return L(`quý ${['I', 'II', 'III', 'IV'][+y[3] - 1]} năm ${y[1]}`, `Q${y[3]} ${y[1]}`);
    return L(`6 tháng ${y[3] === '1' ? 'đầu' : 'cuối'} năm ${y[1]}`, `${y[3] === '1' ? 'first' : 'second'} half of ${y[1]}`);
  }

  /** The phase review (sơ kết) of the years from one chosen to another: its files in every format. */
  function reviewCard(years, formats, days) {
    const sorted = [...years].sort();
    const choose = (id, testid, selected) => h('select', { id, 'data-testid': testid },
      sorted.map((y) => h('option', { value: y, selected: y === selected }, y)));
    const first = choose('rv-first', 'review-first', sorted[Math.max(0, sorted.length - 4)]);
    const last = choose('rv-last', 'review-last', sorted[sorted.length - 1]);
    const links = h('p', { class: 'downloads' });
    const update = () => {
      const [a, b] = [first.value, last.value].sort();
      const span = a === b ? a : `${a}..${b}`;
      const name = a === b ? L(`năm ${a}`, `year ${a}`) : L(`giai đoạn ${a}–${b}`, `${a}–${b}`);
      fill(links, formats.map((f) => h('a', {
        href: apiUrl('/api/v1/reports/review', { period: span, format: f, ...days }),
        ...(f === 'html' ? { target: '_blank', rel: 'noopener' } : { download: `review-${span}.${f}` }),
        class: 'chip', 'data-testid': 'review-link', 'data-format': f,
      }, f.toUpperCase(), sr(L(` — sơ kết ${name}`, ` — the review of ${name}`)))));
    };
    first.addEventListener('change', update);
    last.addEventListener('change', update);
    update();
    const field = (id, label, control) => h('div', { class: 'field' }, h('label', { for: id }, label), control);
    return h('section', { class: 'card report-month', 'aria-labelledby': 'rv-head', 'data-testid': 'review-card' },
      h('div', { class: 'report-month__head' }, h('h2', { id: 'rv-head' }, L('Sơ kết giai đoạn', 'Phase review'))),
      h('p', { class: 'muted' }, L(
        'Từng đơn vị và phòng ban qua các năm: tỷ lệ đúng hạn, hồ sơ quá hạn trên 1.000 hồ sơ đã giải quyết, mức rút ngắn thời gian thực tế; xếp hạng và các lưu ý về số liệu.',
        'Each unit and department year by year: on-time rate, overdue per 1,000 resolved, the actual reduction; the ranking and the caveats on the figures.')),
      h('form', { class: 'filters', 'aria-label': L('Chọn giai đoạn', 'Choose the span') },
        field('rv-first', L('Từ năm', 'From'), first), field('rv-last', L('Đến năm', 'To'), last)),
      links);
  }

  function periodCard(m, kinds, formats, days) {
    const label = m.month || m.period;
    const name = periodName(m);
    // A month keeps its month= links; any other period is asked for by period=.
    const which = m.month ? { month: label, ...days } : { period: label, ...days };
    const id = `m-${label}`;
    const rows = kinds.map((k) => h('tr', { 'data-kind': k },
      h('th', { scope: 'row' }, kindName(k)),
      h('td', null, formats.includes('html')
        ? h('a', { href: apiUrl(`/api/v1/reports/${k}`, { ...which, format: 'html' }), target: '_blank', rel: 'noopener', 'data-testid': 'report-link', 'data-kind': k, 'data-format': 'html' },
          L('Xem', 'Open'), sr(L(` ${kindName(k)} ${name}, mở trong thẻ mới`, ` ${kindName(k)} ${name}, opens in a new tab`)), icon(' ↗'))
        : '—'),
      h('td', { class: 'downloads' }, formats.filter((f) => f !== 'html').map((f) => h('a', {
        href: apiUrl(`/api/v1/reports/${k}`, { ...which, format: f }),
        download: `${k}-${label}.${f}`, class: 'chip', 'data-testid': 'report-link', 'data-kind': k, 'data-format': f,
      }, f.toUpperCase(), sr(L(` — tải ${kindName(k)} ${name} dạng ${FORMAT_NAMES[f] || f}`, ` — download ${kindName(k)} ${name} as ${FORMAT_NAMES[f] || f}`)))))));
    const snap = m.snapshot;
    const files = snap && Array.isArray(snap.files) ? snap.files : [];
    const diffBox = h('div', { class: 'diff', 'aria-live': 'polite' });
    let snapBlock;
    if (snap) {
      const button = h('button', { type: 'button', class: 'button', 'data-testid': 'diff-button', 'data-month': label }, L('So sánh với bản chốt', 'Compare with the snapshot'));
      button.addEventListener('click', () => runDiff(m.month ? { month: label } : { period: label }, kinds, button, diffBox));
      snapBlock = h('div', { class: 'snapshot' },
        h('h3', null, L('Bản chốt số liệu', 'Frozen snapshot')),
        h('p', null, L('Chốt lúc ', 'Frozen at '), timeEl(snap.as_of)),
        files.length ? snapshotFiles(label, files, kinds) : null,
        button, diffBox);
    } else {
      snapBlock = h('p', { class: 'muted snapshot' }, m.closed
        ? L('Chưa có bản chốt cho kỳ này.', 'No snapshot for this period yet.')
        : L('Kỳ đang diễn ra: số liệu còn thay đổi, chưa có bản chốt.', 'The period is running: the figures still change; no snapshot yet.'));
    }
    return h('section', { class: 'card report-month', 'aria-labelledby': id, 'data-testid': 'report-month', 'data-month': label },
      h('div', { class: 'report-month__head' },
        h('h2', { id }, capital(name)),
        h('span', { class: `badge ${m.closed ? 'badge--closed' : 'badge--open'}` }, m.closed ? L('Đã khoá sổ', 'Closed') : L('Đang diễn ra', 'Running')),
        h('span', { class: 'muted' }, L('Từ ', 'From '), timeEl(m.from, true), L(' đến hết ', ' to '), timeEl(dayBefore(m.to), true))),
      tableWrap(h('table', { class: 'data data--reports' },
        h('caption', { class: 'sr-only' }, L(`Báo cáo ${name}`, `Reports for ${name}`)),
        thead(L('Báo cáo', 'Report'), L('Xem (HTML)', 'View (HTML)'), L('Tải xuống', 'Download')),
        h('tbody', null, rows)), L(`Báo cáo ${name}`, `Reports for ${name}`)),
      snapBlock);
  }

  /** The frozen files, grouped by report: "Biểu II.06a: CSV HTML JSON XLSX". */
  function snapshotFiles(month, files, kinds) {
    const fileLink = (f, text) => {
      const html = /\.html?$/.test(f);
      return h('a', {
        href: `/api/v1/snapshots/${encodeURIComponent(month)}/${encodeURIComponent(f)}`,
        class: 'chip', 'data-testid': 'snapshot-file', 'data-file': f,
        target: html ? '_blank' : null, rel: html ? 'noopener' : null, download: html ? null : `${month}-${f}`,
      }, text, sr(` (${f})`));
    };
    const groups = new Map();
    const other = [];
    for (const f of files) {
      const m = /^([a-z0-9_]+)\.([a-z0-9]+)$/i.exec(f);
      if (m && (KINDS[m[1]] || kinds.includes(m[1]))) {
        if (!groups.has(m[1])) groups.set(m[1], []);
        groups.get(m[1]).push([f, m[2].toUpperCase()]);
      } else other.push(f);
    }
    const order = (k) => (kinds.includes(k) ? kinds.indexOf(k) : kinds.length);
    const sorted = Array.from(groups).sort((a, b) => order(a[0]) - order(b[0]));
    return h('dl', { class: 'files' },
      sorted.map(([k, list]) => [h('dt', null, kindName(k)),
        h('dd', null, list.map(([f, ext]) => fileLink(f, ext)))]),
      other.length ? [h('dt', null, L('Khác', 'Other')), h('dd', null, other.map((f) => fileLink(f, f)))] : null);
  }

  async function runDiff(which, kinds, button, box) {
    button.disabled = true;
    const label = button.textContent;
    button.textContent = L('Đang so sánh…', 'Comparing…');
    fill(box, h('p', { class: 'msg msg--loading' }, L('Đang so sánh với bản chốt…', 'Comparing with the snapshot…')));
    const parts = [];
    for (const k of kinds) {
      try {
        const d = await getJSON(apiUrl(`/api/v1/reports/${k}/diff`, which));
        const changes = Array.isArray(d.changes) ? d.changes : [];
        const shown = changes.slice(0, 300);
        parts.push(h('div', { class: 'diff__kind', 'data-testid': 'diff-result', 'data-kind': k, 'data-changes': String(changes.length) },
          h('h4', null, kindName(k)),
          changes.length
            ? [h('p', { class: 'is-warn' }, icon('⚠'), L(`${fmtInt(changes.length)} thay đổi so với bản chốt lúc `, `${fmtInt(changes.length)} changes since the snapshot of `), timeEl(d.snapshot_as_of)),
              h('ul', { class: 'diff__list' }, shown.map((c) => h('li', null, h('code', null, c)))),
              changes.length > shown.length ? h('p', { class: 'muted' }, L(`… và ${fmtInt(changes.length - shown.length)} thay đổi khác (tải báo cáo để xem đủ).`, `… and ${fmtInt(changes.length - shown.length)} more.`)) : null]
            : h('p', { class: 'is-good' }, icon('✓'), L('Không thay đổi', 'No change'), h('span', { class: 'muted' }, L(' so với bản chốt lúc ', ' since the snapshot of '), timeEl(d.snapshot_as_of)))));
      } catch (e) {
        if (e && e.status === 401) return;
        parts.push(h('div', { class: 'diff__kind', 'data-testid': 'diff-result', 'data-kind': k },
          h('h4', null, kindName(k)), h('p', { class: 'msg msg--error' }, describeError(e, L('Không có bản chốt', 'No snapshot')))));
      }
    }
    fill(box, ...parts);
    button.textContent = label;
    button.disabled = false;
  }

  // ---------------------------------------------------------------------------------------
  // Start
  // ---------------------------------------------------------------------------------------

  function start() {
    const page = document.body.dataset.page;
    const tv = page === 'overview' && PARAMS.get('tv') === '1';
    const pages = { overview: Overview, unit: Unit, worklist: Worklist, dossier: Dossier, reports: Reports };
    const navKeys = { overview: 'overview', unit: 'overview', worklist: 'worklist', dossier: 'worklist', reports: 'reports' };
    app.page = tv ? Tv : pages[page] || Overview;
    setupChrome(navKeys[page] || 'overview');
    const main = $('#main');
    app.page.init(main);
    poll();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
