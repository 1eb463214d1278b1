#!/usr/bin/env python3
"""Deterministic Spanish telecom-ish corpus for search speed benchmarks.

Writes CORPUS.jsonl lines {"id","title","text","type"} (the ingest JSONL shape) and
QUERIES.jsonl lines {"id","query"} (the `atiende search --queries` shape). Words follow a Zipf
law over a vocabulary of real telecom/support words plus generated Spanish-looking words, so that
posting lists have realistic lengths. Same arguments -> byte-identical files.

  python3 bench/gen_corpus.py [--chunks 100000] [--queries 2000] [--seed 7] \
      [--out bench/out/corpus.jsonl] [--queries-out bench/out/queries.jsonl]
"""
import argparse
import json
import os
import random

BASE = """
factura facturación pago cobro saldo recarga plan planes datos móviles megas gigas minutos
llamadas mensajes internet hogar fibra óptica módem router wifi señal cobertura antena red 5G
4G LTE roaming internacional viaje país tarifa precio costo descuento promoción oferta contrato
permanencia cancelación portabilidad número línea prepago pospago chip SIM eSIM tarjeta
equipo teléfono celular móvil dispositivo garantía reparación servicio técnico envío pedido
entrega devolución reembolso cuenta usuario contraseña seguridad verificación código clave
aplicación app página web portal correo electrónico mensaje texto cliente atención soporte
asesor agente llamada queja reclamo falla interrupción corte mantenimiento zona ciudad barrio
dirección instalación visita técnico velocidad lentitud conexión desconexión reinicio
configuración ajustes actualización sistema batería pantalla cámara memoria almacenamiento
bloqueo desbloqueo robo pérdida reporte denuncia reposición duplicado activación suspensión
reconexión mora deuda vencimiento fecha ciclo corte extracto detalle consumo adicional
paquete bolsa ilimitado compartir familia empresa negocio hogar televisión canales decodificador
""".split()

VERBS = """cambiar pagar consultar activar desactivar cancelar solicitar reportar revisar configurar
instalar reiniciar recuperar bloquear desbloquear renovar comprar devolver transferir recibir
enviar actualizar verificar contratar migrar""".split()

TYPES = ["doc", "faq", "ticket", "chat", "transcript"]
SYLLABLES = ["ca", "de", "mi", "to", "la", "re", "sa", "no", "ve", "ta", "lo", "pe", "ri",
             "cu", "ba", "ga", "fo", "ni", "ro", "se", "te", "za", "mo", "li", "du", "xo", "pla",
             "tri", "con", "mar", "ción", "dad", "ente", "oso"]
CONNECTORS = ["de", "la", "el", "en", "para", "con", "por", "que", "y", "un", "una", "del",
              "los", "las", "su", "se", "al", "no", "es", "como"]


def make_vocab(rng, size):
    # Real words take the frequent ranks (shuffled among themselves); generated words the tail.
    words = list(dict.fromkeys(BASE + VERBS))
    rng.shuffle(words)
    seen = set(words)
    while len(words) < size:
        w = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if w not in seen:
            seen.add(w)
            words.append(w)
    return words


class Zipf:
    def __init__(self, rng, words, s=1.07):
        self.rng = rng
        self.words = words
        weights = [1.0 / (i + 1) ** s for i in range(len(words))]
        total = sum(weights)
        acc, self.cum = 0.0, []
        for w in weights:
            acc += w / total
            self.cum.append(acc)

    def word(self):
        import bisect
        return self.words[min(bisect.bisect_left(self.cum, self.rng.random()), len(self.words) - 1)]


def sentence(rng, zipf):
    n = rng.randint(6, 16)
    out = []
    for _ in range(n):
        out.append(rng.choice(CONNECTORS) if rng.random() < 0.35 else zipf.word())
    s = " ".join(out)
    if rng.random() < 0.1:
        s += " %d GB" % rng.choice([1, 2, 5, 10, 20, 50])
    return s[0].upper() + s[1:] + "."


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--chunks", type=int, default=100000)
    ap.add_argument("--queries", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", default="bench/out/corpus.jsonl")
    ap.add_argument("--queries-out", default="bench/out/queries.jsonl")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    vocab = make_vocab(rng, 20000)
    zipf = Zipf(rng, vocab)
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    os.makedirs(os.path.dirname(args.queries_out) or ".", exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        for i in range(args.chunks):
            title = " ".join(zipf.word() for _ in range(rng.randint(2, 5))).capitalize()
            text = " ".join(sentence(rng, zipf) for _ in range(rng.randint(3, 7)))
            rec = {"id": "c%06d" % i, "title": title, "text": text, "type": rng.choice(TYPES)}
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    with open(args.queries_out, "w", encoding="utf-8") as f:
        for i in range(args.queries):
            words = [zipf.word() for _ in range(rng.randint(2, 6))]
            q = "¿Cómo " + rng.choice(VERBS) + " " + " ".join(words) + "?"
            f.write(json.dumps({"id": "q%05d" % i, "query": q}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
