import json, sys
sys.path.insert(0, __import__('os').path.dirname(__file__))
import sacrebleu_transcription as ref, ter_transcription as ter_ref
pairs = [
 ("¿Cuánto cuesta el plan Ilimitado 5G?", ["¿Cuál es el precio del plan Ilimitado 5G?"]),
 ("¡Hola! Tu factura de diciembre ya está disponible en la app.", ["¡Hola! La factura de diciembre ya está disponible en la app Mi UnaEmpresa."]),
 ("El niño pidió una línea nueva para su mamá.", ["La niña pidió una nueva línea para su mamá."]),
 ("Puedes pagar en 6, 12 o 24 cuotas sin intereses.", ["Puedes pagar el equipo en 6, 12 o 24 cuotas sin intereses."]),
 ("La señal de fibra está caída en Bogotá desde las 3:00 p. m.", ["Hay una falla de fibra en Bogotá desde las 3:00 p. m."]),
 ("El cargo es de $ 45.900,50 al mes (IVA incluido).", ["El cargo mensual es de $45.900,50 con IVA incluido."]),
 ("Reinicia el router y espera 3 minutos.", ["Desconecta el router 30 segundos, reinícialo y espera 3 minutos."]),
 ("¿Qué hago si perdí mi celular?", ["Si perdiste tu celular, ¿qué debes hacer?"]),
 ("Año tras año, la compañía «UnaEmpresa» mejora.", ["Cada año la compañía \"UnaEmpresa\" mejora."]),
 ("ÉXITO: tu portabilidad quedó programada para mañana.", ["Éxito: la portabilidad quedó programada para mañana."]),
]
hyps = [p[0] for p in pairs]; refs = [[p[1][0] for p in pairs]]
rows = []
src = {"generator": "sacreBLEU 2.x semantics via a Python transcription using Python's own re/str (tests/eval/data/README.md)"}
for i, (h, r) in enumerate(pairs):
    for tok in ['13a', 'intl', 'char']:
        rows.append({"id": f"es_sentence_bleu_{tok}_{i}", "hyp": h, "refs_for_sentence": r, "config": {"api": "sentence_bleu", "tokenize": tok, "smooth_method": "exp", "use_effective_order": True}, "expected": ref.bleu([h], [[x] for x in r], tok=tok, eff=True), "scale": "0-100", "tolerance": 1e-9})
    rows.append({"id": f"es_sentence_chrf_{i}", "hyp": h, "refs_for_sentence": r, "config": {"api": "sentence_chrf", "char_order": 6, "word_order": 0, "beta": 2, "eps_smoothing": False, "remove_whitespace": True}, "expected": ref.chrf([h], [[x] for x in r]), "scale": "0-100", "tolerance": 1e-9})
    rows.append({"id": f"es_sentence_chrfpp_{i}", "hyp": h, "refs_for_sentence": r, "config": {"api": "sentence_chrf", "char_order": 6, "word_order": 2, "beta": 2, "eps_smoothing": False, "remove_whitespace": True}, "expected": ref.chrf([h], [[x] for x in r], nw=2), "scale": "0-100", "tolerance": 1e-9})
    rows.append({"id": f"es_sentence_ter_{i}", "hyps": [h], "refs": [r], "config": {"api": "TER().corpus_score", "normalized": False, "no_punct": False, "asian_support": False, "case_sensitive": False}, "expected": ter_ref.ter([h], [r]), "scale": "0-100", "tolerance": 1e-9})
for tok in ['13a', 'intl', 'char', 'none']:
    for lc in [False, True]:
        rows.append({"id": f"es_corpus_bleu_{tok}_lc{int(lc)}", "hyps": hyps, "refs": refs, "config": {"api": "corpus_bleu", "tokenize": tok, "smooth_method": "exp", "lowercase": lc, "use_effective_order": False}, "expected": ref.bleu(hyps, refs, tok=tok, lc=lc), "scale": "0-100", "tolerance": 1e-9})
rows.append({"id": "es_corpus_chrf", "hyps": hyps, "refs": refs, "config": {"api": "corpus_chrf", "char_order": 6, "word_order": 0, "beta": 2, "eps_smoothing": False, "remove_whitespace": True}, "expected": ref.chrf(hyps, refs), "scale": "0-100", "tolerance": 1e-9})
rows.append({"id": "es_corpus_chrfpp_lc", "hyps": hyps, "refs": refs, "config": {"api": "corpus_chrf", "char_order": 6, "word_order": 2, "beta": 2, "eps_smoothing": False, "remove_whitespace": True, "lowercase": True}, "expected": ref.chrf(hyps, refs, nw=2, lc=True), "scale": "0-100", "tolerance": 1e-9})
for norm, nop, cs in [(False, False, False), (True, True, False), (False, False, True)]:
    rows.append({"id": f"es_corpus_ter_n{int(norm)}p{int(nop)}c{int(cs)}", "hyps": hyps, "refs": refs, "config": {"api": "TER().corpus_score", "normalized": norm, "no_punct": nop, "asian_support": False, "case_sensitive": cs}, "expected": ter_ref.ter(hyps, refs, norm=norm, nop=nop, cs=cs), "scale": "0-100", "tolerance": 1e-9})
with open(__import__('os').path.join(__import__('os').path.dirname(__file__), '..', 'spanish_metrics.jsonl'), 'w') as f:
    for r in rows: f.write(json.dumps(r, ensure_ascii=False) + '\n')
print(len(rows))
print(ref.TOK['13a']("¿Cuánto cuesta el plan? ¡Hola!"), '|', ref.TOK['intl']("¿Cuánto cuesta el plan? ¡Hola! $45.900,50"))
