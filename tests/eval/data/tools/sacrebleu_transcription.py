# Independent-ish Python transcription of sacreBLEU 2.x (real `re` for regexes) to cross-check C++.
import re, math, sys, json, unicodedata
from collections import Counter

def cls(pred):
    chars = []
    for cp in range(sys.maxunicode + 1):
        if 0xD800 <= cp <= 0xDFFF: continue
        if pred(unicodedata.category(chr(cp))): chars.append(cp)
    # build ranges
    out = []; i = 0
    while i < len(chars):
        j = i
        while j + 1 < len(chars) and chars[j + 1] == chars[j] + 1: j += 1
        a, b = chars[i], chars[j]
        out.append(re.escape(chr(a)) if a == b else re.escape(chr(a)) + '-' + re.escape(chr(b)))
        i = j + 1
    return '[' + ''.join(out) + ']'

P = cls(lambda c: c.startswith('P')); N = cls(lambda c: c.startswith('N')); S = cls(lambda c: c.startswith('S'))
NOTN = cls(lambda c: not c.startswith('N'))
INTL = [(re.compile('(' + NOTN + ')(' + P + ')'), r'\1 \2 '), (re.compile('(' + P + ')(' + NOTN + ')'), r' \1 \2'), (re.compile('(' + S + ')'), r' \1 ')]
def tok_intl(line):
    for r, rep in INTL: line = r.sub(rep, line)
    return ' '.join(line.split())

R13 = [(re.compile(r'([\{-\~\[-\` -\&\(-\+\:-\@\/])'), r' \1 '), (re.compile(r'([^0-9])([\.,])'), r'\1 \2 '),
       (re.compile(r'([\.,])([^0-9])'), r' \1 \2'), (re.compile(r'([0-9])(-)'), r'\1 \2 ')]
def tok_13a(line):
    line = line.replace('<skipped>', '').replace('-\n', '').replace('\n', ' ')
    if '&' in line:
        line = line.replace('&quot;', '"').replace('&amp;', '&').replace('&lt;', '<').replace('&gt;', '>')
    line = f' {line} '
    for r, rep in R13: line = r.sub(rep, line)
    return ' '.join(line.split())
TOK = {'13a': tok_13a, 'intl': tok_intl, 'char': lambda l: ' '.join(c for c in l), 'none': lambda l: l}

def ngrams(line, maxo):
    c = Counter(); t = line.split()
    for n in range(1, maxo + 1):
        for i in range(0, len(t) - n + 1): c[tuple(t[i:i+n])] += 1
    return c, len(t)

def my_log(x): return -9999999999 if x == 0.0 else math.log(x)
DEF = {'none': None, 'floor': 0.1, 'add-k': 1, 'exp': None}
def compute_bleu(correct, total, sys_len, ref_len, sm, sv, eff, maxo=4):
    if sv is None: sv = DEF[sm]
    bp = (math.exp(1 - ref_len / sys_len) if sys_len > 0 else 0.0) if sys_len < ref_len else 1.0
    prec = [0.0] * maxo
    if not any(correct): return 0.0
    sm_m = 1.; eo = maxo
    for n in range(1, maxo + 1):
        if sm == 'add-k' and n > 1: correct[n-1] += sv; total[n-1] += sv
        if total[n-1] == 0: break
        if eff: eo = n
        if correct[n-1] == 0:
            if sm == 'exp': sm_m *= 2; prec[n-1] = 100. / (sm_m * total[n-1])
            elif sm == 'floor': prec[n-1] = 100. * sv / total[n-1]
        else: prec[n-1] = 100. * correct[n-1] / total[n-1]
    return bp * math.exp(sum([my_log(p) for p in prec[:eo]]) / eo)

def bleu(hyps, streams, tok='13a', sm='exp', sv=None, lc=False, eff=False, maxo=4):
    pre = lambda s: TOK[tok]((s.lower() if lc else s).rstrip())
    stats = [0] * (2 + 2 * maxo)
    for i, h in enumerate(hyps):
        refs = [pre(s[i]) for s in streams]
        rng = None; rl = []
        for r in refs:
            c, l = ngrams(r, maxo); rl.append(l)
            if rng is None: rng = c
            else:
                for k, v in c.items(): rng[k] = max(rng[k], v)
        hc, hl = ngrams(pre(h), maxo)
        cd, cl = -1, -1
        for l in rl:
            d = abs(hl - l)
            if cd == -1 or d < cd: cd, cl = d, l
            elif d == cd and l < cl: cl = l
        corr = [0] * maxo; tot = [0] * maxo
        for k, v in hc.items():
            n = len(k) - 1; tot[n] += v
            if k in rng: corr[n] += min(v, rng[k])
        seg = [hl, cl] + corr + tot
        stats = [a + b for a, b in zip(stats, seg)]
    return compute_bleu(stats[2:2+maxo], stats[2+maxo:], int(stats[0]), int(stats[1]), sm, sv, eff, maxo)

PUN = set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~')
def rm_p(sent):
    t = []
    for w in sent.split():
        if len(w) == 1: t.append(w)
        elif w[-1] in PUN: t += [w[:-1], w[-1]]
        elif w[0] in PUN: t += [w[0], w[1:]]
        else: t.append(w)
    return t
def char_ng(line, maxo, ws):
    if not ws: line = ''.join(line.split())
    return [Counter([line[i:i+o] for i in range(len(line) - o + 1)]) for o in range(1, maxo + 1)]
def word_ng(toks, n): return Counter([' '.join(toks[i:i+n]) for i in range(len(toks) - n + 1)])
def chrf(hyps, streams, nc=6, nw=0, beta=2, lc=False, ws=False, eps=False):
    order = nc + nw; factor = beta ** 2
    def f(st):
        e = 1e-16; score = 0.0; eo = 0; ap = ar = 0.0
        for i in range(order):
            nh, nr, nm = st[3*i:3*i+3]
            p = nm / nh if nh > 0 else e; r = nm / nr if nr > 0 else e
            d = factor * p + r
            score += ((1 + factor) * p * r / d) if d > 0 else e
            eo += nh > 0 and nr > 0; ap += p; ar += r
        if eps: return 100 * score / order
        if eo == 0: ap = ar = 0.0
        else: ap /= eo; ar /= eo
        if ap + ar:
            score = (1 + factor) * ap * ar; score /= ((factor * ap) + ar); return 100 * score
        return 0.0
    def all_ng(t):
        g = char_ng(t, nc, ws)
        if nw > 0:
            w = rm_p(t); g.extend([word_ng(w, n) for n in range(1, nw + 1)])
        return g
    tot = [0] * (3 * order)
    for i, h in enumerate(hyps):
        h = h.lower() if lc else h
        hg = all_ng(h); best = []; bf = -1.0
        for s in streams:
            r = s[i].lower() if lc else s[i]
            rg = all_ng(r); st = []
            for a, b in zip(hg, rg):
                m = hc = 0
                for k, v in a.items():
                    hc += v
                    if k in b: m += min(v, b[k])
                st.extend([hc if b else 0, sum(b.values()), m])
            fs = f(st)
            if fs > bf: bf = fs; best = st
        tot = [x + y for x, y in zip(tot, best)]
    return f(tot)

if __name__ == '__main__':
    req = json.load(sys.stdin)
    m = req['metric']; o = req.get('opts', {})
    if m == 'bleu':
        print(json.dumps({'score': bleu(req['hyps'], req['refs'], **o), 'lines': [bleu([h], [[s[i]] for s in req['refs']], **{**o, 'eff': True}) for i, h in enumerate(req['hyps'])]}))
    elif m == 'chrf':
        print(json.dumps({'score': chrf(req['hyps'], req['refs'], **o), 'lines': [chrf([h], [[s[i]] for s in req['refs']], **o) for i, h in enumerate(req['hyps'])]}))
    elif m == 'tok':
        print(json.dumps([TOK[o['tok']](x) for x in req['hyps']]))
