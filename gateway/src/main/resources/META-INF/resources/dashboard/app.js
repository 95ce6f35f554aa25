// The asylum-stats dashboard: the public GraphQL API drawn as charts and tables, and the release work
// (/api) for logged-in analysts, reviewers and admins. No build step and nothing from other origins.

const DATASETS = ['population', 'asylum-applications', 'asylum-decisions', 'demographics', 'solutions'];
const VIEWS = ['explore', 'revisions', 'demographics', 'solutions', 'releases'];
const ALL_WHEN_LEFT_OUT = ['origin', 'asylum', 'asylumRegion', 'populationType'];
const SELECTION_FIELDS = ['measure', 'origin', 'asylum', 'asylumRegion', 'unit', 'populationType', 'from', 'to', 'baseFrom', 'baseTo', 'topYear'];
const number = new Intl.NumberFormat('en');
const percent = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 1 });
const compact = new Intl.NumberFormat('en', { notation: 'compact' }); // axis ticks of narrow charts: 1.2M, not 1,200,000
const monthName = new Intl.DateTimeFormat('en-US', { month: 'short', timeZone: 'UTC' });
const FINAL_COLOUR = '#0b5cad';
const PRELIMINARY_COLOUR = '#b35900';
const FEMALE_COLOUR = '#a6366b';
const MALE_COLOUR = '#1f7a5c';
const $ = (id) => document.getElementById(id);

// measures: what the API says of each measure (label, STOCK or FLOW, units), from the `measures` query
const state = { view: 'explore', me: { authenticated: false, roles: [] }, measures: new Map(), countries: new Map(), releases: [], revisions: null };
/** Each GraphQL document of the dashboard by name: its text, and its persisted id (null where the page cannot hash). */
const documents = new Map();

// ---- talking to the gateway -------------------------------------------------------------------

class ApiError extends Error {
  constructor(message, body) { super(message); this.body = body; }
}

async function graphqlDocument(name) {
  if (!documents.has(name)) {
    const response = await fetch(`/dashboard/graphql/${name}.graphql`);
    if (!response.ok) throw new ApiError(`The question ${name} could not be read (${response.status}): reload the page.`, {});
    const bytes = await response.arrayBuffer();
    documents.set(name, { text: new TextDecoder().decode(bytes), id: await documentId(bytes) });
  }
  return documents.get(name);
}

/**
 * "sha256:<hex>" of the document's bytes as served: the id stats-service registered it under. Web Crypto
 * exists only in secure contexts (https, localhost); elsewhere there is no id and the text is sent.
 */
async function documentId(bytes) {
  if (!globalThis.crypto?.subtle) return null;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return `sha256:${Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * Runs one of the dashboard's GraphQL documents; the same files are what the tests send. By GET with the
 * document's id, so that the browser (and any cache on the way) keeps the answer for its max-age and
 * revalidates it by its ETag; the variables are built in a fixed key order, so that the same view asks
 * the same URL. Without an id, by POST with the text, which no cache keeps.
 */
async function graphql(name, variables = {}) {
  const source = await graphqlDocument(name);
  const send = source.id
    ? (credentials) => fetch(`/graphql?${new URLSearchParams({ documentId: source.id, variables: JSON.stringify(variables) })}`, {
      credentials, cache: browserCache.mode(), headers: { Accept: 'application/json' },
    })
    : (credentials) => fetch('/graphql', {
      method: 'POST', credentials, body: JSON.stringify({ query: source.text, variables }),
      headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'JavaScript' },
    });
  let response = await send('same-origin');
  if ((response.status === 401 || response.status === 499) && state.me.authenticated) {
    sessionEnded();
    response = await send('omit'); // the statistics are public unless the gateway says otherwise
  }
  browserCache.noteMaxAge(response);
  const answer = await readJson(response);
  if (!response.ok || answer.errors) {
    const first = answer.errors?.[0];
    throw new ApiError(first ? first.message : problemText(response, answer), answer);
  }
  return answer.data;
}

/**
 * The browser keeps GET answers for their max-age. Once this browser has changed what is published, the
 * answers it kept from before may be stale: until they would have expired, it has them revalidated
 * (If-None-Match: the tag changed with the publication, so the new answer comes back). Kept in the
 * session, as a reload keeps the browser cache too.
 */
const browserCache = {
  mode: () => (Date.now() < Number(sessionStorage.getItem('revalidateUntil') || 0) ? 'no-cache' : 'default'),
  noteMaxAge(response) {
    const maxAge = /max-age=(\d+)/.exec(response.headers.get('Cache-Control') || '')?.[1];
    if (maxAge) sessionStorage.setItem('maxAge', maxAge);
  },
  releasesChanged() {
    const maxAge = Number(sessionStorage.getItem('maxAge') || 3600);
    sessionStorage.setItem('revalidateUntil', String(Date.now() + maxAge * 1000));
  },
};

/** Calls the ingest API with the session; problem+json answers become errors carrying the problem. */
async function api(method, path, body, contentType = 'application/json') {
  const headers = { 'X-Requested-With': 'JavaScript', Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = contentType;
  const response = await fetch(path, {
    method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : contentType === 'application/json' ? JSON.stringify(body) : body,
  });
  if (response.status === 499) {
    sessionEnded();
    throw new ApiError('Your session has ended: log in again.', {});
  }
  const answer = response.status === 204 ? {} : await readJson(response);
  if (!response.ok) throw new ApiError(problemText(response, answer), answer);
  return answer;
}

async function readJson(response) {
  const text = await response.text();
  try { return text ? JSON.parse(text) : {}; } catch { return { detail: text }; }
}

function problemText(response, problem) {
  const title = problem.title || response.statusText || 'Request failed';
  return `${title} (${response.status})${problem.detail ? ': ' + problem.detail : ''}`;
}

function showError(error) {
  const box = $('error');
  if (!error) { box.hidden = true; box.textContent = ''; return; }
  box.textContent = error.message || String(error);
  box.hidden = false;
}

// ---- session --------------------------------------------------------------------------------

async function loadSession() {
  try {
    const response = await fetch('/auth/me', { credentials: 'same-origin', headers: { 'X-Requested-With': 'JavaScript' } });
    state.me = response.ok ? await response.json() : { authenticated: false, roles: [] };
  } catch {
    state.me = { authenticated: false, roles: [] };
  }
  renderSession();
}

function sessionEnded() {
  state.me = { authenticated: false, roles: [] };
  renderSession();
}

function renderSession() {
  const me = state.me;
  $('who').textContent = me.authenticated ? `${me.name} (${(me.roles || []).join(', ') || 'no role'})` : '';
  $('login').hidden = me.authenticated;
  $('logout').hidden = !me.authenticated;
}

const hasRole = (role) => state.me.authenticated && (state.me.roles || []).includes(role);

// ---- the view in the URL ----------------------------------------------------------------------

function readLocation() {
  const [view, query] = location.hash.replace(/^#/, '').split('?');
  state.view = VIEWS.includes(view) ? view : 'explore';
  const params = new URLSearchParams(query || '');
  for (const id of SELECTION_FIELDS) {
    if (params.has(id)) $(id).value = params.get(id);
    // a place or type the link leaves out means all of them, whatever the browser restored on reload
    else if (ALL_WHEN_LEFT_OUT.includes(id)) $(id).value = '';
  }
}

function writeLocation() {
  const params = new URLSearchParams();
  for (const id of SELECTION_FIELDS) {
    if ($(id).value) params.set(id, $(id).value);
  }
  const hash = `#${state.view}?${params}`;
  if (location.hash !== hash) history.replaceState(null, '', hash);
}

/** The selected measure as the API describes it; an error when the catalog could not be read. */
function measureInfo(measure = $('measure').value) {
  const info = state.measures.get(measure);
  if (!info) throw new ApiError('The list of measures could not be read: reload the page.', {});
  return info;
}

/** Persons or cases is a choice only where the measure is counted in both. */
const hasUnitChoice = (info) => info.units.length > 1;

function selection() {
  const measure = $('measure').value;
  const withUnit = hasUnitChoice(measureInfo(measure));
  const filter = { years: { from: +$('from').value, to: +$('to').value } };
  if ($('origin').value) filter.origin = [$('origin').value];
  if ($('asylum').value) filter.asylum = [$('asylum').value];
  if ($('asylumRegion').value) filter.asylumRegion = [$('asylumRegion').value];
  if (withUnit) filter.unit = $('unit').value;
  return { measure, filter, withUnit };
}

// ---- reference periods --------------------------------------------------------------------------
// A year's figures end on its periodEnd: 31 December unless the release covers the year only in part
// (a mid-year release: 30 June). Labels come from the date, never from an assumed mid-year.

function dateParts(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  return { y, m, d };
}

/** "30 Jun 2023" */
function shortDate(iso) {
  const { y, m, d } = dateParts(iso);
  return `${d} ${monthName.format(Date.UTC(y, m - 1, d))} ${y}`;
}

const isMonthEnd = ({ y, m, d }) => d === new Date(Date.UTC(y, m, 0)).getUTCDate();

/** A stock is counted on a day ("at 30 Jun 2023"), a flow runs from 1 January ("Jan–Jun 2023"). */
function periodLabel(kind, iso) {
  if (!iso) return '';
  if (kind === 'STOCK') return `at ${shortDate(iso)}`;
  const end = dateParts(iso);
  if (!isMonthEnd(end)) return `1 Jan–${shortDate(iso)}`;
  const month = monthName.format(Date.UTC(end.y, end.m - 1, 1));
  return end.m === 1 ? `Jan ${end.y}` : `Jan–${month} ${end.y}`;
}

// ---- explore ----------------------------------------------------------------------------------

async function renderExplore() {
  const { measure, filter } = selection();
  const year = +$('topYear').value;
  const byOrigin = !filter.origin && (filter.asylum || filter.asylumRegion);
  const yearFilter = { ...filter, years: { from: year, to: year } };
  const data = await graphql('explore', {
    measure, filter, yearFilter, groupBy: [byOrigin ? 'ORIGIN' : 'ASYLUM'], first: 10,
    period: filter.years, baseline: { from: +$('baseFrom').value, to: +$('baseTo').value },
  });
  const { label, kind } = measureInfo(measure);
  const unit = data.period.unit === 'CASES' ? ' (cases)' : '';
  const c = data.compare;
  const leftOut = kind === 'FLOW' ? c.partialYears : [];
  const periodYears = `${filter.years.from}–${filter.years.to}`;

  // the total of whole years, as compared: a flow's partial years are left out and named
  $('period-total').textContent = formatValue(c.periodTotal);
  $('period-meta').textContent = `${label}${unit}, ${periodYears}${leftOut.length ? ` without ${leftOut.join(', ')}` : ''}. ` +
    provenance(data.period, c) + partialIncluded(data.period, c, data.series, kind);
  $('compare-ratio').textContent = c.ratio == null ? 'not reported' : `× ${c.ratio.toFixed(2)}`;
  $('compare-meta').textContent = `Yearly mean ${formatMean(c.periodYearlyMean)} in ${periodYears} ` +
    `against ${formatMean(c.baselineYearlyMean)} in ${$('baseFrom').value}–${$('baseTo').value}` +
    `${leftOut.length ? ` (${leftOut.join(', ')} left out)` : ''}.${notes(c.caveats)}`;

  $('series-title').textContent = `${label}${unit}, yearly`;
  drawSeries('series-chart', data.series, label, kind);
  exportLinks('series', `series-${measure}`, measure, ['YEAR'], filter);
  fillTable('series-table', data.series.map((p) => seriesCells(p, kind)));

  const countryOf = (row) => (byOrigin ? row.origin : row.asylum);
  const topEnd = partialEnd(data.top, year);
  $('top-title').textContent = `Top ${byOrigin ? 'origins' : 'countries of asylum'} in ${year}` +
    (topEnd ? ` (${periodLabel(kind, topEnd)}, part of the year)` : '');
  $('top-meta').textContent = `${data.top.totalRows} ${byOrigin ? 'origins' : 'countries'} in all, total ` +
    `${formatValue(data.top.total)}. ${provenance(data.top)}`;
  drawTop('top-chart', data.top.rows, countryOf);
  exportLinks('top', `top-${measure}-${year}`, measure, [byOrigin ? 'ORIGIN' : 'ASYLUM'], yearFilter);
  fillTable('top-table', data.top.rows.map((r) => topCells(r, countryOf)));
}

/** A series table's row: year, period, value, change, status, release. */
function seriesCells(p, kind) {
  return [cell(p.year), periodCell(kind, p.periodEnd, p.partial), numberCell(p.value), seriesChangeCell(p, kind),
    statusCell(p.status), cell(p.release?.title ?? '—')];
}

/** A top-countries table's row: country, value, share, status. */
function topCells(r, countryOf) {
  return [cell(countryOf(r)?.name ?? 'unknown'), numberCell(r.value),
    numberCell(r.share == null ? null : percent.format(r.share), true), statusCell(r.status)];
}

/** The topYear's table is a part of the year when its release covers it so: then its period, else nothing. */
function partialEnd(table, year) {
  return table.partialYears.includes(year) ? table.rows.find((r) => r.periodEnd)?.periodEnd ?? null : null;
}

/** The places of the selection: what the demographics and solutions questions share with the others. */
function placeFilter(years) {
  const filter = { years };
  if ($('origin').value) filter.origin = [$('origin').value];
  if ($('asylum').value) filter.asylum = [$('asylum').value];
  if ($('asylumRegion').value) filter.asylumRegion = [$('asylumRegion').value];
  return filter;
}

/**
 * Preliminary or final, the releases, and the caveats. With a comparison, its caveats say what the
 * whole-year total did with each partial year; the table's own words about those years are then left
 * out (the table counted them, the total shown may not have).
 */
function provenance(table, comparison) {
  const releases = table.releases.map((r) => r.title).join('; ') || 'no release';
  const ownCaveats = comparison
    ? table.caveats.filter((c) => !table.partialYears.some((year) => c.startsWith(`${year} `) && !c.includes('figure(s)')))
      .concat(comparison.caveats)
    : table.caveats;
  return `${table.preliminary ? 'Preliminary' : 'Final'} · from ${releases}.${notes([...new Set(ownCaveats)])}`;
}

const notes = (caveats) => (caveats.length ? ` Note: ${caveats.join('. ')}.`.replace(/\.\./g, '.') : '');

/** What the reported figures come to with a flow's partial years in, each named by its period. */
function partialIncluded(table, comparison, points, kind) {
  const leftOut = kind === 'FLOW' ? comparison.partialYears : [];
  if (!leftOut.length || table.total == null) return '';
  const periods = points.filter((p) => leftOut.includes(p.year)).map((p) => periodLabel(kind, p.periodEnd));
  return ` With ${periods.join(', ') || leftOut.join(', ')} added: ${formatValue(table.total)}.`;
}

const formatValue = (v) => (v == null ? 'not reported' : number.format(v));
const formatMean = (v) => (v == null ? 'not reported' : number.format(Math.round(v)));

function chart(id) {
  const element = $(id);
  return window.echarts.getInstanceByDom(element) || window.echarts.init(element, null, { renderer: 'svg' });
}

/** A point's own words: "2023 (at 30 Jun 2023, part of the year) 1,234 preliminary". */
function pointText(p, kind) {
  return `${p.year}${p.partial ? ` (${periodLabel(kind, p.periodEnd)}, part of the year)` : ''} ` +
    `${formatValue(p.value)}${p.status === 'PRELIMINARY' ? ' preliminary' : ''}`;
}

/**
 * Whole years on a solid line; a partial year hollow, on a dashed line from the year before, with its
 * period written next to it. Colour says preliminary or final, shape says partial or whole: two facts.
 */
function drawSeries(id, points, label, kind) {
  const colour = (p) => (p.status === 'PRELIMINARY' ? PRELIMINARY_COLOUR : FINAL_COLOUR);
  const marker = (p) => ({
    value: p.value,
    symbol: `${p.partial ? 'empty' : ''}${p.status === 'PRELIMINARY' ? 'diamond' : 'circle'}`,
    symbolSize: p.partial ? 16 : p.status === 'PRELIMINARY' ? 14 : 7,
    itemStyle: { color: colour(p), borderWidth: p.partial ? 3 : 1 },
  });
  const whole = points.map((p) => (p.partial ? null : marker(p)));
  const partial = points.map((p, i) => {
    if (p.partial) {
      return { ...marker(p), label: { show: p.value != null, position: 'top', distance: 10, formatter: periodLabel(kind, p.periodEnd),
        color: colour(p), fontWeight: 600, backgroundColor: '#fff', padding: [2, 4] } };
    }
    return points[i + 1]?.partial && p.value != null ? { value: p.value, symbol: 'none' } : null;
  });
  $(id).setAttribute('aria-label', `${label} by year: ` + points.map((p) => pointText(p, kind)).join(', '));
  const series = [{ type: 'line', name: label, data: whole, connectNulls: false, lineStyle: { color: FINAL_COLOUR } }];
  if (points.some((p) => p.partial)) {
    series.push({ type: 'line', name: `${label}, part of the year`, data: partial, connectNulls: false, z: 3,
      lineStyle: { color: FINAL_COLOUR, type: 'dashed' } });
  }
  chart(id).setOption({
    animation: false,
    grid: { left: 70, right: 60, top: 36, bottom: 30 }, // room for a partial year's label at either end
    tooltip: { trigger: 'axis', formatter: (items) => escapeHtml(pointText(points[items[0].dataIndex], kind)) },
    xAxis: { type: 'category', data: points.map((p) => String(p.year)) },
    yAxis: { type: 'value', axisLabel: { formatter: (v) => number.format(v) } },
    series,
  }, true);
}

const escapeHtml = (text) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

function drawTop(id, rows, countryOf) {
  const ordered = [...rows].reverse();
  $(id).setAttribute('aria-label', rows.map((r) =>
    `${countryOf(r)?.name ?? 'unknown'} ${formatValue(r.value)}`).join(', '));
  chart(id).setOption({
    animation: false,
    grid: { left: 150, right: 60, top: 10, bottom: 20 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', axisLabel: { hideOverlap: true, formatter: (v) => compact.format(v) } },
    yAxis: { type: 'category', data: ordered.map((r) => countryOf(r)?.name ?? 'unknown') },
    series: [{
      type: 'bar', data: ordered.map((r) => ({
        value: r.value, itemStyle: { color: r.status === 'PRELIMINARY' ? PRELIMINARY_COLOUR : FINAL_COLOUR },
      })),
      label: { show: true, position: 'right', formatter: (p) => (ordered[p.dataIndex].share == null ? '' : percent.format(ordered[p.dataIndex].share)) },
    }],
  }, true);
}

// ---- revisions --------------------------------------------------------------------------------

async function renderRevisions() {
  const { measure, filter } = selection();
  const { kind } = measureInfo(measure);
  const data = await graphql('revisions', { measure, filter });
  const rows = data.revisions.flatMap((r) => r.vintages.map((v, i) => ({ year: r.year, before: r.vintages[i - 1], ...v })));
  state.revisions = {
    name: `revisions-${measure}`,
    header: ['year', 'release', 'published_on', 'value', 'change', 'change_percent', 'status', 'period_end', 'comparable'],
    rows: rows.map((v) => [v.year, v.release.title, v.release.publishedOn, v.value, v.change, v.changePercent, v.status,
      v.periodEnd, v.comparable]),
  };
  fillTable('revisions-table', rows.map((v) => [
    cell(v.year), cell(`${v.release.title} (${v.release.publishedOn})`),
    periodCell(kind, v.periodEnd, !v.periodEnd.endsWith('-12-31')), numberCell(v.value), revisionCell(v), statusCell(v.status),
  ]));
}

/** A first vintage has nothing to be revised from; across a change of period end the difference is no revision. */
function revisionCell(v) {
  if (!v.before) return textCell('first published', 'num note');
  if (!v.comparable) return textCell(`period changed: ${shortDate(v.before.periodEnd)} → ${shortDate(v.periodEnd)}`, 'num period-change');
  return numberCell(v.change == null ? null : `${signed(v.change)}` +
    (v.changePercent == null ? '' : ` (${v.changePercent > 0 ? '+' : ''}${v.changePercent.toFixed(1)} %)`), true);
}

const signed = (n) => `${n > 0 ? '+' : ''}${number.format(n)}`;

/** A flow's partial year against a whole year before it is half a year against a year: no change shown. */
function seriesChangeCell(p, kind) {
  if (p.partial && kind === 'FLOW' && p.change != null) return textCell('— (part of the year)', 'num note');
  return numberCell(p.change);
}

// ---- sex and age ------------------------------------------------------------------------------
// One year's persons by sex and age group. Persons counted without any breakdown are the cell
// (UNKNOWN, UNKNOWN): they belong to no bar, so they are written above the chart, never dropped.

const AGE_GROUPS = ['0-4', '5-11', '12-17', '18-59', '60+', 'UNKNOWN'];
const ageLabel = (age) => (age === 'UNKNOWN' ? 'age unknown' : age);
const SEXES = ['FEMALE', 'MALE'];

async function renderDemographics() {
  const year = +$('topYear').value;
  const filter = placeFilter({ from: year, to: year });
  const type = $('populationType').value;
  if (type) filter.populationType = [type];
  const { pyramid } = await graphql('demographics', { filter });
  const cells = new Map(pyramid.rows.map((r) => [`${r.sex} ${r.ageGroup}`, r]));
  const value = (sex, age) => cells.get(`${sex} ${age}`)?.value ?? null;
  const sexTotal = (sex) => sumReported(AGE_GROUPS.map((age) => value(sex, age)));
  const total = pyramid.total;
  const shareOf = (v, of) => (v == null || !of ? '' : percent.format(v / of));
  const withoutBreakdown = value('UNKNOWN', 'UNKNOWN');
  const typeName = type ? $('populationType').selectedOptions[0].textContent : 'All population types';
  const end = partialEnd(pyramid, year);

  $('pyramid-title').textContent = `${typeName} by sex and age, ${year}` +
    (end ? ` (${periodLabel('STOCK', end)}, part of the year)` : '');
  $('pyramid-no-breakdown').textContent = total == null
    ? `No demographics reported for this selection in ${year}.`
    : `${formatValue(withoutBreakdown ?? 0)} persons (${shareOf(withoutBreakdown ?? 0, total)}) of ${formatValue(total)} ` +
      'counted without a sex or age breakdown: they are in no bar below.';
  $('pyramid-unknown-age').textContent = `Age unknown: ${SEXES.map((sex) => {
    const unknown = value(sex, 'UNKNOWN');
    const whole = sexTotal(sex);
    const who = sex === 'FEMALE' ? 'females' : 'males';
    return whole == null ? `no ${who} reported` : `${formatValue(unknown)} of ${formatValue(whole)} ${who}` +
      `${unknown == null ? '' : ` (${shareOf(unknown, whole)})`}`;
  }).join(' and ')}.`;
  $('pyramid-meta').textContent = total == null ? '' : provenance(pyramid);
  drawPyramid(value, total, withoutBreakdown);

  const row = (label, female, male) => [textCell(label, ''), numberCell(female), numberCell(shareOf(female, total) || null, true),
    numberCell(male), numberCell(shareOf(male, total) || null, true)];
  const noBreakdown = [cell('no sex or age breakdown'), textCell(total == null ? 'not reported'
    : `${formatValue(withoutBreakdown ?? 0)} persons (${shareOf(withoutBreakdown ?? 0, total)})`, 'num')];
  noBreakdown[1].colSpan = 4;
  const everyone = [cell('everyone'), textCell(formatValue(total), 'num')];
  everyone[1].colSpan = 4;
  fillTable('pyramid-table', [
    ...AGE_GROUPS.map((age) => row(ageLabel(age), value('FEMALE', age), value('MALE', age))),
    row('all ages', sexTotal('FEMALE'), sexTotal('MALE')), noBreakdown, everyone,
  ]);
  exportLinks('pyramid', `demographics-${year}${type ? `-${type}` : ''}`, 'DEMOGRAPHICS', ['SEX', 'AGE_GROUP'], filter);
}

/** The sum of the values reported; null when none is. */
const sumReported = (values) => (values.some((v) => v != null) ? values.reduce((a, v) => a + (v ?? 0), 0) : null);

/** Females to the left, males to the right, youngest at the bottom, age unknown on top in a lighter shade. */
function drawPyramid(value, total, withoutBreakdown) {
  const bar = (sex, age, sign) => {
    const v = value(sex, age);
    return { value: sign * (v ?? 0), reported: v,
      // unknown ages lighter: a translucent fill, so that the bar's label keeps full contrast
      itemStyle: { color: `${sex === 'FEMALE' ? FEMALE_COLOUR : MALE_COLOUR}${age === 'UNKNOWN' ? '73' : ''}` } };
  };
  const label = (position) => ({ show: true, position, formatter: (p) => (p.data.reported == null ? 'not reported'
    : `${number.format(p.data.reported)}${total ? ` (${percent.format(p.data.reported / total)})` : ''}`) });
  const widest = Math.max(1, ...SEXES.flatMap((sex) => AGE_GROUPS.map((age) => value(sex, age) ?? 0)));
  $('pyramid-chart').setAttribute('aria-label', SEXES.flatMap((sex) => AGE_GROUPS.map((age) =>
    `${sex === 'FEMALE' ? 'Female' : 'Male'} ${ageLabel(age)}: ${formatValue(value(sex, age))}`)).join('; ') +
    `; without a sex or age breakdown: ${formatValue(total == null ? null : withoutBreakdown ?? 0)}`);
  chart('pyramid-chart').setOption({
    animation: false,
    grid: { left: 30, right: 30, top: 30, bottom: 30, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: (items) => escapeHtml(items.map((i) =>
      `${i.seriesName} ${ageLabel(AGE_GROUPS[i.dataIndex])}: ${formatValue(i.data.reported)}`).join(' · ')) },
    legend: { show: false },
    // symmetric, with room for the labels; the odd end values themselves are not ticks worth reading
    xAxis: { type: 'value', min: -widest * 1.35, max: widest * 1.35,
      axisLabel: { showMinLabel: false, showMaxLabel: false, formatter: (v) => number.format(Math.abs(v)) } },
    yAxis: [{ type: 'category', data: AGE_GROUPS.map(ageLabel), axisTick: { show: false } }],
    series: [
      { type: 'bar', name: 'Female', stack: 'persons', barCategoryGap: '15%', data: AGE_GROUPS.map((age) => bar('FEMALE', age, -1)),
        label: label('left') },
      { type: 'bar', name: 'Male', stack: 'persons', data: AGE_GROUPS.map((age) => bar('MALE', age, 1)), label: label('right') },
    ],
  }, true);
}

// ---- solutions --------------------------------------------------------------------------------
// How displacement ends, each a flow with its own series and top countries: resettlement and
// naturalisation by the country of asylum, returns by the country people returned to (the origin).

const SOLUTIONS = [
  { key: 'resettlement', measure: 'RESETTLEMENT', by: 'ASYLUM', countries: 'resettlement countries' },
  { key: 'naturalisation', measure: 'NATURALISATION', by: 'ASYLUM', countries: 'countries of naturalisation' },
  { key: 'returnedRefugees', measure: 'RETURNED_REFUGEES', by: 'ORIGIN', countries: 'countries returned to' },
  { key: 'returnedIdps', measure: 'RETURNED_IDPS', by: 'ORIGIN', countries: 'countries with IDP returns' },
];

/** One panel a solution: its series, its top countries, and both as tables (ids from the constants above only). */
function buildSolutionPanels() {
  $('solutions-panels').replaceChildren(...SOLUTIONS.map(({ key }) => {
    const panel = document.createElement('article');
    panel.className = 'panel';
    panel.id = `${key}-panel`;
    panel.innerHTML = `<h3 id="${key}-title"></h3>
      <div id="${key}-series" class="chart" role="img" aria-labelledby="${key}-title"></div>
      <h4 id="${key}-top-title"></h4>
      <div id="${key}-top" class="chart top-chart" role="img" aria-labelledby="${key}-top-title"></div>
      <p class="meta" id="${key}-meta"></p>
      <details><summary>Tables</summary>
        <table id="${key}-series-table"><caption>Yearly series</caption>
          <thead><tr><th scope="col">Year</th><th scope="col">Period</th><th scope="col">Value</th><th scope="col">Change</th><th scope="col">Status</th><th scope="col">Release</th></tr></thead>
          <tbody></tbody></table>
        <table id="${key}-top-table"><caption>Top countries</caption>
          <thead><tr><th scope="col">Country</th><th scope="col">Value</th><th scope="col">Share</th><th scope="col">Status</th></tr></thead>
          <tbody></tbody></table>
      </details>
      <p class="downloads">Yearly series: ${exportAnchors(`${key}-series`, `${key}-title`)}</p>
      <p class="downloads">All countries in the year: ${exportAnchors(`${key}-top`, `${key}-top-title`)}</p>`;
    return panel;
  }));
}

async function renderSolutions() {
  const years = { from: +$('from').value, to: +$('to').value };
  const year = +$('topYear').value;
  const filter = placeFilter(years);
  const yearFilter = placeFilter({ from: year, to: year });
  const data = await graphql('solutions', { filter, yearFilter, first: 10 });
  for (const { key, measure, by, countries } of SOLUTIONS) {
    const { label, kind } = measureInfo(measure);
    const points = data[key];
    const top = data[`${key}Top`];
    const countryOf = (r) => (by === 'ORIGIN' ? r.origin : r.asylum);
    const end = partialEnd(top, year);
    $(`${key}-title`).textContent = `${label}, yearly`;
    drawSeries(`${key}-series`, points, label, kind);
    fillTable(`${key}-series-table`, points.map((p) => seriesCells(p, kind)));
    $(`${key}-top-title`).textContent = `Top ${countries} in ${year}${end ? ` (${periodLabel(kind, end)}, part of the year)` : ''}`;
    drawTop(`${key}-top`, top.rows, countryOf);
    fillTable(`${key}-top-table`, top.rows.map((r) => topCells(r, countryOf)));
    $(`${key}-meta`).textContent = `${top.totalRows} ${countries} in ${year}, total ${formatValue(top.total)}. ${provenance(top)}`;
    exportLinks(`${key}-series`, `${key}-${years.from}-${years.to}`, measure, ['YEAR'], filter);
    exportLinks(`${key}-top`, `${key}-${year}`, measure, [by], yearFilter);
  }
}

// ---- releases and the work on them ------------------------------------------------------------

async function renderReleases() {
  const staff = ['analyst', 'reviewer', 'admin'].some(hasRole);
  $('create-release').hidden = !hasRole('analyst');
  const releases = staff ? await api('GET', '/api/releases') : (await graphql('catalog')).releases;
  fillTable('releases-table', releases.map((r) => [
    cell(r.id), cell(r.title), publishedCell(r), cell(r.state),
    filesCell(r), actionsCell(r),
  ]));
}

/** The publication date, and the years the release covers only in part ("2023 to 30 Jun 2023"). */
function publishedCell(release) {
  const td = cell(release.publishedOn);
  for (const period of release.referencePeriods || []) {
    const line = document.createElement('div');
    line.className = 'partial';
    line.textContent = `${period.year} to ${shortDate(period.end)} only`;
    td.append(line);
  }
  return td;
}

function filesCell(release) {
  const td = document.createElement('td');
  const files = release.files || (release.datasets || []).map((dataset) => ({ dataset }));
  for (const file of files) {
    const line = document.createElement('div');
    line.textContent = file.rows == null ? file.dataset : `${file.dataset}: ${number.format(file.rows)} rows`;
    if (file.report) {
      const show = button('report', 'secondary', () => showReport(typeof file.report === 'string' ? JSON.parse(file.report) : file.report));
      show.setAttribute('aria-label', `Validation report of ${file.dataset}`);
      line.append(' ', show);
    }
    td.append(line);
  }
  return td;
}

function actionsCell(release) {
  const td = document.createElement('td');
  const box = document.createElement('div');
  box.className = 'actions';
  const owner = hasRole('analyst') && release.createdBy === state.me.name;
  const act = (label, style, run) => box.append(button(label, style, () => work(run)));
  if (owner && (release.state === 'DRAFT' || release.state === 'REJECTED')) {
    const dataset = document.createElement('select');
    dataset.setAttribute('aria-label', `Dataset to upload to release ${release.id}`);
    DATASETS.forEach((d) => dataset.append(new Option(d, d)));
    const file = document.createElement('input');
    file.type = 'file';
    file.accept = '.csv,.json,.gz,text/csv,application/json,application/gzip';
    file.setAttribute('aria-label', `File to upload to release ${release.id}`);
    box.append(dataset, file);
    act('Upload', '', async () => {
      if (!file.files.length) throw new ApiError('Choose a file first.', {});
      const chosen = file.files[0];
      const type = /\.gz$/i.test(chosen.name) ? 'application/gzip' : /\.json$/i.test(chosen.name) ? 'application/json' : 'text/csv';
      try {
        showReport(await api('PUT', `/api/releases/${release.id}/datasets/${dataset.value}`, chosen, type));
      } catch (e) {
        if (e.body?.report) showReport(e.body.report);
        throw e;
      }
    });
    act('Submit', '', () => api('POST', `/api/releases/${release.id}/submit`));
  }
  if (owner && release.state === 'DRAFT') {
    act('Delete', 'danger', () => api('DELETE', `/api/releases/${release.id}`));
  }
  if (hasRole('reviewer') && release.state === 'SUBMITTED') {
    act('Publish', '', () => api('POST', `/api/releases/${release.id}/publish`).then(browserCache.releasesChanged));
    const reason = document.createElement('input');
    reason.placeholder = 'reason for rejecting';
    reason.setAttribute('aria-label', `Reason for rejecting release ${release.id}`);
    box.append(reason);
    act('Reject', 'danger', () => api('POST', `/api/releases/${release.id}/reject`, { reason: reason.value }));
  }
  if (hasRole('admin') && release.state === 'PUBLISHED') {
    act('Retract', 'danger', () => api('POST', `/api/releases/${release.id}/retract`).then(browserCache.releasesChanged));
  }
  td.append(box);
  return td;
}

/** Runs one piece of release work, then shows the releases as they are now. */
async function work(run) {
  showError(null);
  document.body.dataset.busy = 'true';
  try {
    await run();
  } catch (e) {
    showError(e);
  }
  await renderReleases().catch(showError);
  document.body.dataset.busy = 'false';
}

function showReport(report) {
  $('report').hidden = false;
  $('report-summary').textContent = `${report.dataset ?? ''} ${report.format ?? ''}: ${report.valid ? 'valid' : 'invalid, nothing loaded'} · ` +
    `${number.format(report.rows ?? 0)} rows · ${report.errorCount ?? 0} error(s), ${report.warningCount ?? 0} warning(s)` +
    ((report.errorCount ?? 0) > (report.errors?.length ?? 0) ? ` (first ${report.errors.length} errors listed)` : '');
  const issues = [...(report.errors || []).map((i) => ['error', i]), ...(report.warnings || []).map((i) => ['warning', i])];
  fillTable('report-table', issues.map(([kind, i]) => {
    const k = cell(kind);
    k.className = `kind-${kind}`;
    return [k, cell(i.line), cell(i.column ?? ''), cell(i.code), cell(i.message)];
  }));
  $('report').scrollIntoView({ block: 'nearest' });
}

async function createRelease(event) {
  event.preventDefault();
  const form = event.target;
  const years = form.preliminaryYears.value.split(/[ ,]+/).filter(Boolean).map(Number);
  // each end date names its year; the ingest API checks that it lies inside it
  const referencePeriods = form.referencePeriods.value.split(/[ ,]+/).filter(Boolean)
    .map((end) => ({ year: Number(end.slice(0, 4)), end }));
  await work(() => api('POST', '/api/releases', {
    title: form.title.value, source: form.source.value || null, publishedOn: form.publishedOn.value, preliminaryYears: years,
    referencePeriods,
  }).then(() => form.reset()));
}

// ---- tables and CSV ---------------------------------------------------------------------------

function cell(text) {
  const td = document.createElement('td');
  td.textContent = text == null ? '' : String(text);
  return td;
}

function numberCell(value, preformatted = false) {
  const td = cell(value == null ? 'not reported' : preformatted ? value : number.format(value));
  td.className = value == null ? 'num not-reported' : 'num';
  return td;
}

function textCell(text, className) {
  const td = cell(text);
  td.className = className;
  return td;
}

/** The period a figure refers to; a partial year is marked so (a separate fact from preliminary). */
function periodCell(kind, periodEnd, partial) {
  return textCell(`${periodLabel(kind, periodEnd)}${partial ? ' (part of the year)' : ''}`, partial ? 'partial' : '');
}

function statusCell(status) {
  const td = cell(status === 'PRELIMINARY' ? 'preliminary' : 'final');
  td.className = `status-${status}`;
  return td;
}

function button(label, style, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  if (style) b.className = style;
  b.addEventListener('click', onClick);
  return b;
}

function fillTable(id, rows) {
  const body = $(id).querySelector('tbody');
  body.replaceChildren(...rows.map((cells) => {
    const tr = document.createElement('tr');
    tr.append(...cells);
    return tr;
  }));
}

// ---- downloads ---------------------------------------------------------------------------------
// A figure table downloads as the export of the same selection (every row, not only the ten shown),
// in CSV and JSON-stat, with the release, status and period of each value and the citation. The
// revisions table has no export (it lists vintages, not figures): its CSV is written here.

const EXPORT_FORMATS = [{ format: 'csv', extension: 'csv', label: 'CSV' }, { format: 'json-stat', extension: 'json', label: 'JSON-stat' }];

/**
 * The two download links of a table, described by the table's title (ids from the constants of this file
 * only); exportLinks gives them their addresses.
 */
function exportAnchors(key, titleId) {
  return EXPORT_FORMATS.map(({ extension, label }) =>
    `<a class="button download" id="${key}-${extension}" aria-describedby="${titleId}" download>Download ${label}</a>`).join(' ');
}

/** Points a table's links at /export/figures for one measure of the selection, grouped by `groupBy`. */
function exportLinks(key, name, measure, groupBy, filter) {
  const params = new URLSearchParams({ measure, groupBy: groupBy.join(','), from: filter.years.from, to: filter.years.to });
  for (const dimension of ['origin', 'asylum', 'asylumRegion', 'populationType']) {
    if (filter[dimension]) params.set(dimension, filter[dimension].join(','));
  }
  if (filter.unit) params.set('unit', filter.unit);
  for (const { format, extension } of EXPORT_FORMATS) {
    const link = $(`${key}-${extension}`);
    params.set('format', format);
    link.href = `/export/figures?${params}`;
    link.download = `${name}.${extension}`;
  }
}

/** RFC 4180 CSV of the revisions table as the API answered it (not reported stays empty, never 0). */
function downloadRevisions() {
  const table = state.revisions;
  if (!table) return;
  const quote = (v) => (v == null ? '' : /[",\r\n]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v));
  const csv = [table.header, ...table.rows].map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n';
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
  link.download = `${table.name}.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

// ---- putting it together ----------------------------------------------------------------------

async function loadCatalog() {
  const data = await graphql('catalog');
  data.measures.forEach((m) => state.measures.set(m.measure, m));
  $('measure').append(...data.measures.map((m) => new Option(m.label, m.measure)));
  if (state.measures.has('REFUGEES')) $('measure').value = 'REFUGEES';
  const byName = [...data.countries].sort((a, b) => a.name.localeCompare(b.name));
  byName.forEach((c) => state.countries.set(c.code, c));
  for (const id of ['origin', 'asylum']) {
    $(id).append(...byName.map((c) => new Option(`${c.name} (${c.code})`, c.code)));
  }
  const regions = [...new Set(byName.map((c) => c.region).filter(Boolean))].sort();
  $('asylumRegion').append(...regions.map((r) => new Option(r, r)));
  state.releases = data.releases;
  // the latest year a published release covers: the year before publication, or its preliminary year
  const latest = Math.max(2000, ...data.releases.flatMap((r) =>
    [Number(r.publishedOn.slice(0, 4)) - 1, ...r.preliminaryYears]));
  $('from').value = latest - 14;
  $('to').value = latest;
  $('topYear').value = latest;
  $('baseFrom').value = 2017;
  $('baseTo').value = 2019;
}

async function render() {
  showError(null);
  for (const view of VIEWS) {
    $(`view-${view}`).hidden = view !== state.view;
    const link = document.querySelector(`nav a[data-view="${view}"]`);
    if (view === state.view) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  $('selection').hidden = state.view === 'releases';
  // each control shows in the views its question uses
  document.querySelectorAll('#selection [data-views]').forEach((e) => { e.hidden = !e.dataset.views.split(' ').includes(state.view); });
  $('topYear-label').textContent = state.view === 'demographics' ? 'Year' : 'Top countries in';
  enableUnit();
  writeLocation();
  document.body.dataset.loading = 'true';
  try {
    if (state.view === 'explore') await renderExplore();
    else if (state.view === 'revisions') await renderRevisions();
    else if (state.view === 'demographics') await renderDemographics();
    else if (state.view === 'solutions') await renderSolutions();
    else await renderReleases();
  } catch (e) {
    showError(e);
  } finally {
    document.body.dataset.loading = 'false';
  }
}

function enableUnit() {
  const info = state.measures.get($('measure').value);
  $('unit').disabled = !info || !hasUnitChoice(info);
}

async function start() {
  buildSolutionPanels();
  document.querySelectorAll('[data-downloads]').forEach((e) => { e.innerHTML = exportAnchors(e.dataset.downloads, `${e.dataset.downloads}-title`); });
  $('selection').addEventListener('submit', (e) => { e.preventDefault(); render(); });
  $('measure').addEventListener('change', enableUnit);
  $('create-release').addEventListener('submit', createRelease);
  $('revisions-download').addEventListener('click', downloadRevisions);
  document.querySelectorAll('nav a').forEach((a) => a.addEventListener('click', (e) => {
    e.preventDefault();
    state.view = a.dataset.view;
    render();
  }));
  // the login round trip returns to "/": come back to the view the user was looking at
  $('login').addEventListener('click', () => sessionStorage.setItem('returnTo', location.hash));
  const returnTo = sessionStorage.getItem('returnTo');
  sessionStorage.removeItem('returnTo');
  if (returnTo && !location.hash) history.replaceState(null, '', returnTo);
  window.addEventListener('hashchange', () => { readLocation(); render(); });
  window.addEventListener('resize', () => document.querySelectorAll('.chart').forEach((e) => window.echarts.getInstanceByDom(e)?.resize()));
  try {
    await Promise.all([loadSession(), loadCatalog()]);
  } catch (e) {
    showError(e);
  }
  readLocation();
  await render();
  document.body.dataset.ready = 'true';
}

start();
