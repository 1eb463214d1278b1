import math, re, sys, json
_COST_INS = 1; _COST_DEL = 1; _COST_SUB = 1
_MAX_SHIFT_SIZE = 10; _MAX_SHIFT_DIST = 50; _BEAM_WIDTH = 25
_MAX_CACHE_SIZE = 10000; _MAX_SHIFT_CANDIDATES = 1000; _INT_INFINITY = int(1e16)
_OP_INS = 'i'; _OP_DEL = 'd'; _OP_NOP = ' '; _OP_SUB = 's'; _OP_UNDEF = 'x'
_FLIP_OPS = str.maketrans(_OP_INS + _OP_DEL, _OP_DEL + _OP_INS)

def translation_edit_rate(words_hyp, words_ref):
    n_words_ref = len(words_ref); n_words_hyp = len(words_hyp)
    if n_words_ref == 0: return n_words_hyp, 0
    cached_ed = BeamEditDistance(words_ref)
    shifts = 0; input_words = words_hyp; checked_candidates = 0
    while True:
        delta, new_input_words, checked_candidates = _shift(input_words, words_ref, cached_ed, checked_candidates)
        if checked_candidates >= _MAX_SHIFT_CANDIDATES: break
        if delta <= 0: break
        shifts += 1; input_words = new_input_words
    edit_distance, _ = cached_ed(input_words)
    return shifts + edit_distance, n_words_ref

def _shift(words_h, words_r, cached_ed, checked_candidates):
    pre_score, inv_trace = cached_ed(words_h)
    trace = inv_trace.translate(_FLIP_OPS)
    align, ref_err, hyp_err = trace_to_alignment(trace)
    best = None
    for start_h, start_r, length in _find_shifted_pairs(words_h, words_r):
        if sum(hyp_err[start_h: start_h + length]) == 0: continue
        if sum(ref_err[start_r: start_r + length]) == 0: continue
        if start_h <= align[start_r] < start_h + length: continue
        prev_idx = -1
        for offset in range(-1, length):
            if start_r + offset == -1: idx = 0
            elif start_r + offset in align: idx = align[start_r + offset] + 1
            else: break
            if idx == prev_idx: continue
            prev_idx = idx
            shifted_words = _perform_shift(words_h, start_h, length, idx)
            candidate = (pre_score - cached_ed(shifted_words)[0], length, -start_h, -idx, shifted_words)
            checked_candidates += 1
            if not best or candidate > best: best = candidate
        if checked_candidates >= _MAX_SHIFT_CANDIDATES: break
    if not best: return 0, words_h, checked_candidates
    best_score, _, _, _, shifted_words = best
    return best_score, shifted_words, checked_candidates

def _perform_shift(words, start, length, target):
    if target < start:
        return words[:target] + words[start: start + length] + words[target: start] + words[start + length:]
    elif target > start + length:
        return words[:start] + words[start + length: target] + words[start: start + length] + words[target:]
    else:
        return words[:start] + words[start + length: length + target] + words[start: start + length] + words[length + target:]

def _find_shifted_pairs(words_h, words_r):
    n_words_h = len(words_h); n_words_r = len(words_r)
    for start_h in range(n_words_h):
        for start_r in range(n_words_r):
            if abs(start_r - start_h) > _MAX_SHIFT_DIST: continue
            length = 0
            while words_h[start_h + length] == words_r[start_r + length] and length < _MAX_SHIFT_SIZE:
                length += 1
                yield start_h, start_r, length
                if n_words_h == start_h + length or n_words_r == start_r + length: break

def trace_to_alignment(trace):
    pos_hyp = -1; pos_ref = -1; hyp_err = []; ref_err = []; align = {}
    for op in trace:
        if op == _OP_NOP:
            pos_hyp += 1; pos_ref += 1; align[pos_ref] = pos_hyp; hyp_err.append(0); ref_err.append(0)
        elif op == _OP_SUB:
            pos_hyp += 1; pos_ref += 1; align[pos_ref] = pos_hyp; hyp_err.append(1); ref_err.append(1)
        elif op == _OP_INS:
            pos_hyp += 1; hyp_err.append(1)
        elif op == _OP_DEL:
            pos_ref += 1; align[pos_ref] = pos_hyp; ref_err.append(1)
    return align, ref_err, hyp_err

class BeamEditDistance:
    def __init__(self, words_ref):
        self._words_ref = words_ref; self._n_words_ref = len(words_ref)
        self._initial_row = [(i * _COST_INS, _OP_INS) for i in range(self._n_words_ref + 1)]
        self._cache = {}; self._cache_size = 0
        self._empty_row = [(_INT_INFINITY, _OP_UNDEF)] * (self._n_words_ref + 1)
    def __call__(self, words_hyp):
        start_position, cached_ed_row = self._find_cache(words_hyp)
        edit_distance, newly_created_matrix, trace = self._edit_distance(words_hyp, start_position, cached_ed_row)
        self._add_cache(words_hyp, newly_created_matrix)
        return edit_distance, trace
    def _edit_distance(self, words_h, start_h, cache):
        n_words_h = len(words_h)
        rest_empty = [list(self._empty_row) for _ in range(n_words_h - start_h)]
        dist = cache + rest_empty
        length_ratio = self._n_words_ref / n_words_h if words_h else 1
        if _BEAM_WIDTH < length_ratio / 2: beam_width = math.ceil(length_ratio / 2 + _BEAM_WIDTH)
        else: beam_width = _BEAM_WIDTH
        for i in range(start_h + 1, n_words_h + 1):
            pseudo_diag = math.floor(i * length_ratio)
            min_j = max(0, pseudo_diag - beam_width)
            max_j = min(self._n_words_ref + 1, pseudo_diag + beam_width)
            if i == n_words_h: max_j = self._n_words_ref + 1
            for j in range(min_j, max_j):
                if j == 0: dist[i][j] = (dist[i - 1][j][0] + _COST_DEL, _OP_DEL)
                else:
                    if words_h[i - 1] == self._words_ref[j - 1]: cost_sub = 0; op_sub = _OP_NOP
                    else: cost_sub = _COST_SUB; op_sub = _OP_SUB
                    ops = ((dist[i - 1][j - 1][0] + cost_sub, op_sub), (dist[i - 1][j][0] + _COST_DEL, _OP_DEL), (dist[i][j - 1][0] + _COST_INS, _OP_INS))
                    for op_cost, op_name in ops:
                        if dist[i][j][0] > op_cost: dist[i][j] = op_cost, op_name
        trace = ""; i = n_words_h; j = self._n_words_ref
        while i > 0 or j > 0:
            op = dist[i][j][1]; trace = op + trace
            if op in (_OP_SUB, _OP_NOP): i -= 1; j -= 1
            elif op == _OP_INS: j -= 1
            elif op == _OP_DEL: i -= 1
            else: raise Exception(op)
        return dist[-1][-1][0], dist[len(cache):], trace
    def _add_cache(self, words_hyp, mat):
        if self._cache_size >= _MAX_CACHE_SIZE: return
        node = self._cache; n_mat = len(mat); skip_num = len(words_hyp) - n_mat
        for i in range(skip_num): node = node[words_hyp[i]][0]
        for word, row in zip(words_hyp[skip_num:], mat):
            if word not in node: node[word] = ({}, tuple(row)); self._cache_size += 1
            node = node[word][0]
    def _find_cache(self, words_hyp):
        node = self._cache; start_position = 0; row = [self._initial_row]
        for word in words_hyp:
            if word in node:
                start_position += 1; node, matrix_row = node[word]; row.append(matrix_row)
            else: break
        return start_position, row

def tercom(sent, norm=False, nop=False, cs=False):
    if not sent: return ""
    if not cs: sent = sent.lower()
    if norm:
        sent = re.sub(r"\n-", "", sent); sent = re.sub(r"\n", " ", sent)
        sent = re.sub(r"&quot;", "\"", sent); sent = re.sub(r"&amp;", "&", sent)
        sent = re.sub(r"&lt;", "<", sent); sent = re.sub(r"&gt;", ">", sent)
        sent = f" {sent} "
        sent = re.sub(r"([{-~[-` -&(-+:-@/])", r" \1 ", sent)
        sent = re.sub(r"'s ", r" 's ", sent); sent = re.sub(r"'s$", r" 's", sent)
        sent = re.sub(r"([^0-9])([\.,])", r"\1 \2 ", sent)
        sent = re.sub(r"([\.,])([^0-9])", r" \1 \2", sent)
        sent = re.sub(r"([0-9])(-)", r"\1 \2 ", sent)
    if nop: sent = re.sub(r"[\.,\?:;!\"\(\)]", "", sent)
    return ' '.join(sent.split())

def ter(hyps, streams, **o):
    te = 0; tr = 0
    for i, h in enumerate(hyps):
        wh = tercom(h.rstrip(), **o).split()
        rl = 0; best = int(1e16)
        for s in streams:
            e, l = translation_edit_rate(wh, tercom(s[i].rstrip(), **o).split())
            rl += l
            if e < best: best = e
        te += best; tr += rl / len(streams)
    if tr > 0: sc = te / tr
    elif te > 0: sc = 1.0
    else: sc = 0.0
    return 100 * sc

if __name__ == '__main__':
    req = json.load(sys.stdin); o = req.get('opts', {})
    print(json.dumps({'score': ter(req['hyps'], req['refs'], **o), 'lines': [ter([h], [[s[i]] for s in req['refs']], **o) for i, h in enumerate(req['hyps'])]}))
