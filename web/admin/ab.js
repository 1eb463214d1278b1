// The blind human A/B evaluation page: a rater picks a study, types their rater id, and judges
// pairs of answers to the same question (A, B or tie, with an optional comment). The server
// randomizes the sides and the order per rater and never sends config names with an item; the
// results (win rates, Cohen's kappa) are in a collapsed section. API: /v1/admin/ab/... (admin key).
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const RATER_KEY = 'atiende.abRater';
  const pct = (x) => (100 * x).toFixed(1) + ' %';
  const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;
  const state = { study: '', rater: '', item: null, busy: false };

  function showError(error) { $('error').textContent = error ? (error.message || String(error)) : ''; }

  function citationText(c) {
    if (c === null || c === undefined) return '';
    if (typeof c !== 'object') return String(c);
    return c.title || c.doc_id || c.chunk_id || JSON.stringify(c);
  }

  function fillAnswer(side, answer) {
    $('answer-' + side).textContent = answer.text;
    const list = $('citations-' + side);
    list.replaceChildren();
    for (const c of answer.citations || []) {
      const li = document.createElement('li');
      li.textContent = citationText(c);
      list.appendChild(li);
    }
  }

  async function loadStudies(selectId) {
    const { studies } = await AtiendeAdmin.fetchJson('/v1/admin/ab/studies');
    const select = $('study');
    select.replaceChildren();
    for (const s of studies) {
      const option = document.createElement('option');
      option.value = s.id;
      option.textContent = `${s.name} · ${s.items} preguntas · ${s.votes} votos`;
      select.appendChild(option);
    }
    if (selectId) select.value = selectId;
    $('setup-status').textContent = studies.length ? '' :
      'Aún no hay estudios: importa un informe de «atiende eval run» abajo.';
    return studies;
  }

  async function nextItem() {
    const url = `/v1/admin/ab/studies/${encodeURIComponent(state.study)}/next?rater=` +
                encodeURIComponent(state.rater);
    const { item, progress } = await AtiendeAdmin.fetchJson(url);
    state.item = item;
    $('progress').textContent = `${progress.rated} de ${progress.total} valoradas`;
    $('progress').dataset.rated = String(progress.rated);
    $('rating').hidden = !item;
    $('done').hidden = !!item;
    if (!item) return;
    $('question').textContent = item.question;
    $('reference').textContent = item.reference_answer || '(sin referencia)';
    $('reference-box').hidden = !item.reference_answer;
    fillAnswer('a', item.answers.A);
    fillAnswer('b', item.answers.B);
    $('comment').value = '';
    $('rating').dataset.item = item.id;
  }

  async function vote(choice) {
    if (!state.item || state.busy) return;
    state.busy = true;
    try {
      await AtiendeAdmin.fetchJson(`/v1/admin/ab/studies/${encodeURIComponent(state.study)}/votes`, {
        method: 'POST',
        body: JSON.stringify({ item_id: state.item.id, rater: state.rater, choice,
                               comment: $('comment').value.trim() }),
      });
      showError(null);
      await nextItem();
      await loadSummary();
    } catch (e) {
      showError(e);
    } finally {
      state.busy = false;
    }
  }

  function row(cells) {
    const tr = document.createElement('tr');
    for (const cell of cells) {
      const td = document.createElement('td');
      td.textContent = cell;
      tr.appendChild(td);
    }
    return tr;
  }

  async function loadSummary() {
    const id = state.study || $('study').value;
    if (!id) return;
    const s = await AtiendeAdmin.fetchJson(`/v1/admin/ab/studies/${encodeURIComponent(id)}/summary`);
    $('results-status').textContent =
      `${plural(s.votes, 'voto', 'votos')} sobre ${s.items_rated} de ` +
      `${plural(s.study.items, 'pregunta', 'preguntas')}, ` +
      plural(s.raters.length, 'evaluador', 'evaluadores');
    $('results-status').dataset.votes = String(s.votes);
    $('scores').tBodies[0].replaceChildren(...s.configs.map((c) => {
      const tr = row([c.name, String(c.wins), String(c.losses), String(c.ties), pct(c.win_rate)]);
      tr.dataset.config = c.name;
      return tr;
    }));
    const kappa = s.agreement.kappa;
    $('kappa').textContent = kappa === null ? '— (hacen falta dos evaluadores con preguntas en común)'
                                            : kappa.toFixed(2);
    $('kappa').dataset.value = kappa === null ? '' : String(kappa);
    $('pairs').tBodies[0].replaceChildren(...s.agreement.pairs.map((p) => row([
      p.raters.join(' / '), String(p.items), pct(p.observed),
      p.kappa === null ? 'indefinido' : p.kappa.toFixed(2)])));
    $('comments').replaceChildren(...s.comments.map((c) => {
      const li = document.createElement('li');
      li.textContent = `${c.rater} (prefirió ${c.preferred === 'tie' ? 'empate' : c.preferred}) — ` +
                       `${c.question}: ${c.comment}`;
      return li;
    }));
  }

  async function start(event) {
    event.preventDefault();
    const rater = $('rater').value.trim();
    if (!rater || !$('study').value) return;
    state.rater = rater;
    state.study = $('study').value;
    localStorage.setItem(RATER_KEY, rater);
    try {
      showError(null);
      await nextItem();
      await loadSummary();
    } catch (e) {
      showError(e);
    }
  }

  async function importReport(event) {
    event.preventDefault();
    const file = $('report-file').files[0];
    if (!file) return;
    $('import-status').textContent = 'Importando…';
    try {
      const report = JSON.parse(await file.text());
      const body = { report, name: file.name === 'report.json' ? undefined : file.name };
      if ($('import-a').value.trim()) body.a = $('import-a').value.trim();
      if ($('import-b').value.trim()) body.b = $('import-b').value.trim();
      const study = await AtiendeAdmin.fetchJson('/v1/admin/ab/studies', {
        method: 'POST', body: JSON.stringify(body) });
      $('import-status').textContent = `Estudio creado con ${study.items} preguntas.`;
      await loadStudies(study.id);
    } catch (e) {
      $('import-status').textContent = 'No se pudo importar: ' + (e.message || e);
    }
  }

  async function init() {
    AtiendeAdmin.nav('ab');
    $('rater').value = localStorage.getItem(RATER_KEY) || '';
    $('setup').addEventListener('submit', start);
    $('import').addEventListener('submit', importReport);
    for (const id of ['vote-a', 'vote-tie', 'vote-b']) {
      $(id).addEventListener('click', () => vote($(id).dataset.choice));
    }
    $('results').addEventListener('toggle', () => { if ($('results').open) loadSummary().catch(showError); });
    $('study').addEventListener('change', () => {
      state.study = '';
      $('rating').hidden = true;
      $('done').hidden = true;
      if ($('results').open) loadSummary().catch(showError);
    });
    try {
      await loadStudies();
      document.body.dataset.loaded = 'true';
    } catch (e) {
      showError(e);
    }
  }

  init();
})();
