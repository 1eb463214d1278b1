#!/usr/bin/env python3
"""Generates the UnaEmpresa demo support data with synthetic PII, and its gold span file.

Writes (deterministically, seed fixed):
  data/demo/tickets.jsonl          >= 150 tickets   {"id","title","text","type":"ticket","metadata"}
  data/demo/chats.jsonl            >= 80 chats      {"id","title","text","type":"chat","metadata","turns"}
  data/demo/golden/pii_gold.jsonl  one line per text field, in the `atiende anonymize --spans-out`
                                   shape plus "text": {"file","line","id","field","text","spans"}
Offsets are Unicode code points (Python str indices). Every PII value is synthetic but has a valid
format and check digit (Luhn cards/IMEI/ICCID, mod-97 IBAN, mod-23 DNI/NIE, CIF, NIT DV).
Some names are deliberately NOT in data/privacy gazetteers, so that the gold set also measures
context cues and capitalization rules, not only list lookups.

Usage: python3 scripts/gen_demo_tickets.py [--out DIR]   (DIR defaults to data/demo)
"""
import argparse
import json
import os
import random

SEED = 20260101
R = random.Random(SEED)

# ------------------------------------------------------------------ names
GIVEN_F = ["María", "Laura", "Ana", "Carolina", "Diana", "Paola", "Andrea", "Luisa", "Natalia",
           "Valentina", "Camila", "Juliana", "Sandra", "Patricia", "Gloria", "Marta", "Lucía",
           "Carmen", "Isabel", "Elena", "Cristina", "Beatriz", "Nuria", "Montserrat", "Ainhoa",
           "Yuliana", "Leidy", "Xiomara", "Marleny", "Yesenia", "Daniela", "Mónica", "Adriana",
           # not in the gazetteer on purpose
           "Yurleidy", "Nohora", "Edilma", "Yorladis", "Berenice", "Ledys", "Anyela"]
GIVEN_M = ["Carlos", "Juan", "Andrés", "Jorge", "Luis", "Felipe", "Santiago", "Sebastián",
           "Alejandro", "Javier", "Diego", "Óscar", "Miguel", "Pablo", "Sergio", "Álvaro",
           "Fernando", "Manuel", "Raúl", "Iñigo", "Jordi", "Yeison", "Jhon", "Wilmer", "Édgar",
           "Hernán", "Camilo", "Mauricio", "Ricardo", "Gustavo",
           # not in the gazetteer on purpose
           "Dairo", "Nairo", "Eider", "Yeferson", "Onofre", "Anyelo", "Ruperto"]
SURNAMES = ["García", "Rodríguez", "Martínez", "Gómez", "López", "Hernández", "Pérez", "Sánchez",
            "Ramírez", "Torres", "Díaz", "Vargas", "Moreno", "Rojas", "Jiménez", "Castro",
            "Ortiz", "Restrepo", "Cardona", "Ospina", "Londoño", "Giraldo", "Quintero", "Mejía",
            "Arango", "Zapata", "Montoya", "Betancur", "Salazar", "Valencia", "Fernández",
            "González", "Navarro", "Iglesias", "Sanz", "Ruiz", "Domínguez", "Vázquez", "Medina",
            "Castillo", "Herrera", "Suárez", "Molina", "Ortega", "Delgado", "Rubio", "Marín",
            "Bermúdez", "Pineda", "Cifuentes",
            # not in the gazetteer on purpose
            "Usme", "Chitiva", "Guataquí", "Rivadeneira", "Iturralde", "Echenique", "Goikoetxea",
            "Arrazola", "Pinilla", "Sabogal"]
AGENTS = ["Laura", "Camilo", "Diana", "Andrés", "Paula", "Sergio", "Natalia", "Mateo", "Tatiana",
          "Esteban", "Lorena", "Julián"]

CO_CITIES = ["Bogotá", "Medellín", "Cali", "Barranquilla", "Cartagena", "Bucaramanga", "Pereira",
             "Manizales", "Ibagué", "Santa Marta", "Villavicencio", "Pasto"]
ES_CITIES = [("Madrid", "280"), ("Barcelona", "080"), ("Valencia", "460"), ("Sevilla", "410"),
             ("Zaragoza", "500"), ("Málaga", "290"), ("Bilbao", "480"), ("Murcia", "300")]
DEVICES = ["Samsung Galaxy S24", "Samsung Galaxy A55", "iPhone 15", "iPhone 15 Pro Max",
           "Xiaomi Redmi Note 13", "Motorola Edge 50", "Huawei Nova 12", "Google Pixel 8",
           "Honor 200", "Oppo Reno 11"]
PLANS = ["Plan Max 5G 40 GB", "Plan Ilimitado 5G", "Plan Hogar Fibra 500 Mbps",
         "Plan Prepago Plus", "Plan Empresarial 5G 100 GB", "Plan Familiar 4 líneas",
         "Fibra Óptica 300 Mbps + TV", "Plan Roaming Américas"]
MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
          "octubre", "noviembre", "diciembre"]


def fold(s):
    table = str.maketrans("áéíóúüñÁÉÍÓÚÜÑ", "aeiouunAEIOUUN")
    return s.translate(table).lower()


def luhn_digit(payload):
    total = 0
    for i, ch in enumerate(reversed(payload)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def digits(n):
    return "".join(str(R.randint(0, 9)) for _ in range(n))


def group(s, sizes, sep=" "):
    out, i = [], 0
    for n in sizes:
        out.append(s[i:i + n])
        i += n
    if i < len(s):
        out.append(s[i:])
    return sep.join(p for p in out if p)


# ------------------------------------------------------------------ PII values
def person(gender=None):
    gender = gender or R.choice("FM")
    given = R.choice(GIVEN_F if gender == "F" else GIVEN_M)
    if R.random() < 0.3:
        second = R.choice(GIVEN_F if gender == "F" else GIVEN_M)
        if second != given:
            given += " " + second
    s1 = R.choice(SURNAMES)
    full = given + " " + s1
    if R.random() < 0.55:
        full += " " + R.choice([s for s in SURNAMES if s != s1])
    return full, given.split()[0], s1


def co_mobile():
    p = R.choice(["300", "301", "302", "304", "305", "310", "311", "312", "313", "314", "315",
                  "316", "317", "318", "319", "320", "321", "350"])
    rest = str(R.randint(2, 9)) + digits(6)
    style = R.random()
    if style < 0.35:
        return f"{p} {rest[:3]} {rest[3:]}"
    if style < 0.6:
        return p + rest
    if style < 0.8:
        return f"+57 {p} {rest[:3]} {rest[3:]}"
    return f"{p}-{rest[:3]}-{rest[3:]}"


def co_landline():
    return f"(601) {R.randint(2, 7)}{digits(2)} {digits(4)}"


def es_mobile():
    p = "6" + digits(2)
    rest = digits(6)
    style = R.random()
    if style < 0.35:
        return f"{p} {rest[:2]} {rest[2:4]} {rest[4:]}"
    if style < 0.6:
        return p + rest
    if style < 0.85:
        return f"+34 {p} {rest[:3]} {rest[3:]}"
    return f"{p} {rest[:3]} {rest[3:]}"


def es_landline():
    return f"91 {R.randint(2, 7)}{digits(2)} {digits(2)} {digits(2)}"


def email(name):
    parts = [fold(p) for p in name.split()]
    local = R.choice([parts[0] + "." + parts[-1], parts[0][0] + parts[-1] + digits(2),
                      parts[0] + "_" + parts[-1] + str(R.randint(70, 99)), parts[0] + parts[1][:3]])
    domain = R.choice(["gmail.com", "hotmail.com", "outlook.es", "yahoo.com.co", "correo.co",
                       "gmail.es", "live.com"])
    return local + "@" + domain


def cedula():
    n = str(R.choice([R.randint(10_000_000, 99_999_999), R.randint(1_000_000_000, 1_199_999_999)]))
    if R.random() < 0.4:
        rev = n[::-1]
        return ".".join(rev[i:i + 3] for i in range(0, len(rev), 3))[::-1]
    return n


def cedula_ext():
    return str(R.randint(100_000, 9_999_999))


def nit():
    w = [3, 7, 13, 17, 19, 23, 29, 37, 41]
    base = str(R.choice([8, 9])) + digits(8)
    s = sum(int(c) * w[i] for i, c in enumerate(reversed(base)))
    r = s % 11
    dv = r if r <= 1 else 11 - r
    if R.random() < 0.5:
        return f"{base[:3]}.{base[3:6]}.{base[6:]}-{dv}"
    return f"{base}-{dv}"


DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def dni():
    n = R.randint(10_000_000, 79_999_999)
    letter = DNI_LETTERS[n % 23]
    return f"{n}{letter}" if R.random() < 0.75 else f"{n}-{letter}"


def nie():
    prefix = R.choice("XYZ")
    n = R.randint(1_000_000, 9_999_999)
    letter = DNI_LETTERS[int(str("XYZ".index(prefix)) + str(n)) % 23]
    return f"{prefix}{n}{letter}"


def cif():
    body = digits(7)
    d = [int(c) for c in body]
    even = d[1] + d[3] + d[5]
    odd = sum((x * 2) // 10 + (x * 2) % 10 for x in (d[0], d[2], d[4], d[6]))
    control = (10 - (even + odd) % 10) % 10
    return "B" + body + str(control)


def card():
    prefix = R.choice(["4", "4", "51", "52", "53", "54", "55"])
    payload = prefix + digits(15 - len(prefix))
    number = payload + luhn_digit(payload)
    style = R.random()
    if style < 0.6:
        return group(number, [4, 4, 4, 4])
    if style < 0.8:
        return group(number, [4, 4, 4, 4], "-")
    return number


def imei():
    payload = "35" + digits(12)
    number = payload + luhn_digit(payload)
    if R.random() < 0.3:
        return f"{number[:2]}-{number[2:8]}-{number[8:14]}-{number[14]}"
    return number


def iccid():
    payload = "8957" + digits(14)
    number = payload + luhn_digit(payload)
    return group(number, [4, 4, 4, 4]) if R.random() < 0.4 else number


def iban_es():
    bban = digits(20)
    numeric = bban + "142800"  # E=14 S=28 + "00"
    check = 98 - int(numeric) % 97
    iban = f"ES{check:02d}{bban}"
    return group(iban, [4, 4, 4, 4, 4, 4]) if R.random() < 0.7 else iban


def co_address():
    kind = R.choice(["Calle", "Cl.", "Carrera", "Cra.", "Kr", "Avenida", "Av.", "Transversal",
                     "Diagonal", "Calle"])
    n1 = str(R.randint(1, 170)) + R.choice(["", "", "", "A", "B", " Bis"])
    sep = R.choice(["#", "# ", "No.", "No. ", "N°"])
    n2 = str(R.randint(1, 120)) + R.choice(["", "", "A"])
    n3 = str(R.randint(1, 99))
    addr = f"{kind} {n1} {sep}{'' if sep.endswith(' ') or sep == '#' else ' '}{n2}-{n3}"
    addr = addr.replace("  ", " ").replace("# ", "# ").replace("#" + n2, "# " + n2)
    r = R.random()
    if r < 0.3:
        addr += f" apto {R.randint(101, 1204)}"
    elif r < 0.45:
        addr += f" torre {R.randint(1, 8)} apto {R.randint(101, 1204)}"
    elif r < 0.55:
        addr += f" casa {R.randint(1, 60)}"
    return addr


ES_STREETS = ["Mayor", "de Alcalá", "de la Constitución", "Gran Vía", "del Prado", "San Bernardo",
              "de Colón", "Real", "Nueva", "de Goya", "Reina Victoria", "de Andalucía",
              "Doctor Fleming", "de los Reyes Católicos", "de Sagasta", "Princesa", "Serrano",
              "de Blasco Ibáñez", "del Carmen", "de Velázquez"]


def es_address(city_prefix=None):
    kind = R.choice(["Calle", "C/", "Avenida", "Av.", "Paseo", "Plaza", "Calle"])
    street = R.choice(ES_STREETS)
    addr = f"{kind} {street} {R.randint(1, 180)}"
    r = R.random()
    if r < 0.5:
        addr += f", {R.randint(1, 9)}º {R.choice('ABCD')}"
    elif r < 0.7:
        addr += f", {R.randint(1, 9)}º {R.choice(['izq.', 'dcha.'])}"
    if city_prefix and R.random() < 0.5:
        addr += f", {city_prefix}{R.randint(1, 50):02d}"
    return addr


def dob():
    y, m, d = R.randint(1950, 2004), R.randint(1, 12), R.randint(1, 28)
    if R.random() < 0.6:
        return f"{d:02d}/{m:02d}/{y}"
    return f"{d} de {MONTHS[m - 1]} de {y}"


def customer_id():
    return f"CLI-{R.randint(1, 9_999_999):07d}"


def contract_id():
    return f"CTR-{R.randint(2019, 2025)}-{R.randint(1, 999_999):06d}"


def order_no():
    return str(R.randint(1_000_000, 9_999_999))


def amount():
    return f"${R.randint(19, 399)}.{R.choice(['900', '990', '000', '500'])}"


# ------------------------------------------------------------------ text builder
class Text:
    """Concatenates plain pieces and PII pieces, recording gold spans in code points."""

    def __init__(self):
        self.parts = []
        self.spans = []
        self.length = 0

    def add(self, s):
        self.parts.append(s)
        self.length += len(s)
        return self

    def pii(self, kind, value):
        self.spans.append({"start": self.length, "end": self.length + len(value), "type": kind})
        return self.add(value)

    def __add__(self, other):
        return self.add(other)

    def value(self):
        return "".join(self.parts)


class Customer:
    def __init__(self, country):
        self.country = country
        self.gender = R.choice("FM")
        self.name, self.first, self.surname = person(self.gender)
        self.email = email(self.name)
        self.customer_id = customer_id()
        self.contract = contract_id()
        self.dob = dob()
        if country == "CO":
            self.city = R.choice(CO_CITIES)
            self.phone = co_mobile()
            self.alt_phone = co_landline() if R.random() < 0.5 else co_mobile()
            self.address = co_address()
            if R.random() < 0.15:
                self.id_type, self.id_value = "CO_CE", cedula_ext()
            else:
                self.id_type, self.id_value = "CO_CC", cedula()
            self.company_id_type, self.company_id = "CO_NIT", nit()
        else:
            self.city, cp = R.choice(ES_CITIES)
            self.postal_prefix = cp
            self.phone = es_mobile()
            self.alt_phone = es_landline() if R.random() < 0.5 else es_mobile()
            self.address = es_address(cp)
            if R.random() < 0.25:
                self.id_type, self.id_value = "ES_NIE", nie()
            else:
                self.id_type, self.id_value = "ES_DNI", dni()
            self.company_id_type, self.company_id = "ES_CIF", cif()
        self.card = card()
        self.imei = imei()
        self.iccid = iccid()
        self.iban = iban_es() if country == "ES" else None


def id_phrase(t, c):
    """Appends an ID with a context phrase that fits its type."""
    if c.id_type == "CO_CC":
        t.add(R.choice(["mi cédula es ", "cédula ", "C.C. ", "CC ", "con cédula ",
                        "número de documento ", "identificado con cédula ",
                        "cédula de ciudadanía "]))
    elif c.id_type == "CO_CE":
        t.add(R.choice(["cédula de extranjería ", "mi cédula de extranjería es ", "CE "]))
    elif c.id_type == "ES_DNI":
        t.add(R.choice(["DNI ", "mi DNI es ", "con DNI ", "documento "]))
    else:
        t.add(R.choice(["NIE ", "mi NIE es ", "con NIE "]))
    t.pii(c.id_type, c.id_value)


def name_phrase(t, c, full=True):
    name = c.name if full else c.first
    style = R.random()
    if style < 0.25:
        t.add("Me llamo ").pii("PERSON", name)
    elif style < 0.45:
        t.add("Soy ").pii("PERSON", name)
    elif style < 0.6:
        t.add("Mi nombre es ").pii("PERSON", name)
    elif style < 0.75:
        t.add(R.choice(["Escribe ", "Reporta ", "Contacta "])).pii("PERSON", name)
    elif style < 0.88:
        t.add("La línea está a nombre de ").pii("PERSON", name)
    else:
        t.add("Titular: ").pii("PERSON", name)


def phone_phrase(t, c, alt=False):
    t.add(R.choice(["Mi celular es ", "Pueden llamarme al ", "Mi número de contacto es ",
                    "Teléfono de contacto: ", "Me pueden escribir al WhatsApp ",
                    "Mi móvil es "]))
    t.pii("PHONE", c.alt_phone if alt else c.phone)


def email_phrase(t, c):
    t.add(R.choice(["Mi correo es ", "Escríbanme a ", "Correo: ", "Envíen la factura a "]))
    t.pii("EMAIL", c.email)


def address_phrase(t, c):
    t.add(R.choice(["Vivo en la ", "La dirección de instalación es ", "Dirección: ",
                    "Envíen el equipo a la ", "Mi domicilio es "]))
    t.pii("ADDRESS", c.address)
    t.add(f", {c.city}")


def third_person():
    name, first, _ = person()
    rel = R.choice(["mi esposa", "mi esposo", "mi hija", "mi hijo", "mi mamá", "mi hermano"])
    return rel, name


# ------------------------------------------------------------------ ticket scenarios
def t_billing(c):
    title = R.choice(["Cobro duplicado en la factura", "Factura con valor incorrecto",
                      "Reclamo por cobro no reconocido", "Cobro de servicios no contratados"])
    t = Text()
    t.add(R.choice(["Buenos días. ", "Hola, ", "", "Buenas tardes. "]))
    name_phrase(t, c)
    t.add(f" y en la factura de {R.choice(MONTHS)} me cobraron {amount()} dos veces por el ")
    t.add(R.choice(PLANS) + ". ")
    if R.random() < 0.7:
        id_phrase(t, c)
        t.add(". ")
    if R.random() < 0.5:
        t.add("El pago lo hice con la tarjeta ").pii("CREDIT_CARD", c.card).add(" y aparece debitado. ")
    if c.iban and R.random() < 0.7:
        t.add("Solicito el reembolso a mi cuenta ").pii("IBAN", c.iban).add(". ")
    t.add(f"Número de cliente ").pii("CUSTOMER_ID", c.customer_id).add(". ")
    if R.random() < 0.6:
        phone_phrase(t, c)
        t.add(".")
    else:
        email_phrase(t, c)
        t.add(".")
    return title, t


def t_upgrade(c):
    title = R.choice(["Cambio a plan 5G", "Quiero mejorar mi plan a 5G", "Upgrade de plan",
                      "Solicitud de migración a 5G"])
    t = Text()
    name_phrase(t, c)
    t.add(f", tengo el {R.choice(PLANS)} y quiero pasarme al {R.choice(PLANS)} porque en ")
    t.add(f"{c.city} ya hay cobertura 5G. Mi equipo es un {R.choice(DEVICES)} con IMEI ")
    t.pii("IMEI", c.imei).add(". ")
    t.add("El contrato actual es el ").pii("CONTRACT_ID", c.contract).add(". ")
    if R.random() < 0.6:
        phone_phrase(t, c)
        t.add(". ")
    if R.random() < 0.5:
        id_phrase(t, c)
        t.add(".")
    return title, t


def t_order(c):
    title = R.choice(["Pedido de equipo sin entregar", "Estado de mi pedido",
                      "Compra de celular no llega", "Pedido entregado en otra dirección"])
    t = Text()
    dev = R.choice(DEVICES)
    t.add(f"Compré un {dev} en la tienda web, pedido {order_no()}, y no ha llegado. ")
    name_phrase(t, c, full=R.random() < 0.8)
    t.add(". ")
    address_phrase(t, c)
    t.add(". ")
    if R.random() < 0.6:
        t.add("Pagué con la tarjeta ").pii("CREDIT_CARD", c.card).add(". ")
    phone_phrase(t, c)
    t.add(". ")
    if R.random() < 0.4:
        email_phrase(t, c)
        t.add(".")
    return title, t


def t_outage(c):
    title = R.choice(["Sin internet desde ayer", "Caída del servicio de fibra",
                      "Intermitencia en la señal", "Sin señal en el barrio"])
    t = Text()
    t.add(R.choice(["Desde el ", "Hace tres días, el "]) + f"{R.randint(1, 28)} de {R.choice(MONTHS)}")
    t.add(" no tengo servicio de internet en casa. ")
    name_phrase(t, c)
    t.add(". ")
    address_phrase(t, c)
    t.add(". ")
    if R.random() < 0.5:
        t.add("La IP pública que muestra el router es ").pii(
            "IP_ADDRESS", f"181.{R.randint(48, 63)}.{R.randint(0, 255)}.{R.randint(1, 254)}").add(". ")
    if R.random() < 0.4:
        mac = ":".join(f"{R.randint(0, 255):02X}" for _ in range(6))
        t.add("La MAC del módem es ").pii("MAC_ADDRESS", mac).add(". ")
    t.add("Ya reinicié el módem y las luces siguen en rojo. ")
    phone_phrase(t, c, alt=R.random() < 0.5)
    t.add(".")
    return title, t


def t_roaming(c):
    title = R.choice(["Roaming no funciona en el exterior", "Cobro excesivo de roaming",
                      "Activar roaming para viaje"])
    t = Text()
    dest = R.choice(["Madrid", "Miami", "Ciudad de México", "Lima", "Buenos Aires", "París",
                     "Bogotá", "Santiago de Chile"])
    t.add(f"Viajo a {dest} el {R.randint(1, 28)} de {R.choice(MONTHS)} y necesito activar roaming. ")
    name_phrase(t, c)
    t.add(", ")
    id_phrase(t, c)
    t.add(". La línea es la ").pii("PHONE", c.phone).add(". ")
    if R.random() < 0.5:
        t.add("El chip tiene ICCID ").pii("ICCID", c.iccid).add(". ")
    if R.random() < 0.4:
        t.add("Para validar identidad, mi fecha de nacimiento es ").pii("DATE_OF_BIRTH", c.dob).add(". ")
    return title, t


def t_portability(c):
    title = R.choice(["Portabilidad desde otro operador", "Portación de número rechazada",
                      "Solicitud de portabilidad"])
    t = Text()
    op = R.choice(["Claro", "Movistar", "Tigo", "WOM", "Vodafone", "Orange", "Yoigo"])
    t.add(f"Quiero traer mi número desde {op} a UnaEmpresa. ")
    name_phrase(t, c)
    t.add(". El número a portar es ").pii("PHONE", c.phone).add(" y ")
    id_phrase(t, c)
    t.add(". ")
    if R.random() < 0.5:
        t.add("Nací el ").pii("DATE_OF_BIRTH", c.dob).add(". ")
    t.add("La nueva SIM tiene ICCID ").pii("ICCID", c.iccid).add(". ")
    email_phrase(t, c)
    t.add(".")
    return title, t


def t_business(c):
    title = R.choice(["Facturación empresarial", "Líneas corporativas", "Cambio de razón social"])
    t = Text()
    company = R.choice(["Distribuciones Andina S.A.S.", "Talleres del Norte S.L.",
                        "Comercial La Esquina", "Logística Pacífico S.A.S.", "Panadería El Trigal"])
    t.add(f"Escribo en nombre de {company}, ")
    t.add("NIT " if c.company_id_type == "CO_NIT" else "CIF ")
    t.pii(c.company_id_type, c.company_id)
    t.add(f". Tenemos {R.randint(3, 40)} líneas en el {R.choice(PLANS)}. ")
    t.add("El representante legal es ").pii("PERSON", c.name).add(", ")
    id_phrase(t, c)
    t.add(". ")
    if c.iban:
        t.add("Domiciliar los pagos en ").pii("IBAN", c.iban).add(". ")
    t.add("Contacto: ").pii("EMAIL", c.email).add(" o ").pii("PHONE", c.alt_phone).add(".")
    return title, t


def t_family(c):
    title = R.choice(["Agregar línea adicional", "Cambio de titular", "Autorización a un familiar"])
    t = Text()
    name_phrase(t, c)
    rel, other = third_person()
    t.add(f". Autorizo a {rel} ").pii("PERSON", other)
    t.add(" para hacer trámites de mi cuenta ").pii("CUSTOMER_ID", c.customer_id).add(". ")
    id_phrase(t, c)
    t.add(". ")
    phone_phrase(t, c)
    t.add(".")
    return title, t


SCENARIOS = [(t_billing, "facturacion"), (t_upgrade, "planes"), (t_order, "pedidos"),
             (t_outage, "averias"), (t_roaming, "roaming"), (t_portability, "portabilidad"),
             (t_business, "empresas"), (t_family, "cuenta")]


# ------------------------------------------------------------------ chat scenarios
def chat_turns(c):
    agent = R.choice(AGENTS)
    kind = R.choice(["facturacion", "portabilidad", "averias", "planes", "pedidos", "roaming"])
    turns = []

    def turn(role, text):
        turns.append((role, text))

    t = Text().add(R.choice(["Hola, buenas tardes", "Buenos días", "Hola"]))
    turn("customer", t)
    t = Text().add(R.choice(["¡Hola! ", "Buen día, "])).add("Soy ").pii("PERSON", agent)
    t.add(", asesor" + ("a" if agent[-1] == "a" else "") + " de UnaEmpresa. ¿Con quién tengo el gusto?")
    turn("agent", t)
    t = Text()
    style = R.random()
    if style < 0.4:
        t.add("Con ").pii("PERSON", c.name)
    elif style < 0.7:
        t.add("Mi nombre es ").pii("PERSON", c.name)
    else:
        t.add("Hablas con ").pii("PERSON", c.name)
    turn("customer", t)
    t = Text().add("Gracias, ").pii("PERSON", c.first).add(". Para validar, ¿me confirma su ")
    t.add("cédula?" if c.country == "CO" else "DNI o NIE?")
    turn("agent", t)
    t = Text()
    id_phrase(t, c)
    turn("customer", t)
    if kind == "facturacion":
        turn("customer", Text().add(f"Me llegó la factura de {R.choice(MONTHS)} por {amount()} y yo pago {amount()}"))
        turn("agent", Text().add("Reviso su cuenta. Veo un ajuste por el cambio de plan; le aplico la nota crédito."))
        if R.random() < 0.5:
            t = Text().add("El débito salió de la tarjeta ").pii("CREDIT_CARD", c.card)
            turn("customer", t)
    elif kind == "portabilidad":
        t = Text().add("Quiero portar el ").pii("PHONE", c.phone).add(" desde Movistar")
        turn("customer", t)
        t = Text().add("Perfecto. ¿El ICCID de la SIM nueva?")
        turn("agent", t)
        turn("customer", Text().pii("ICCID", c.iccid))
    elif kind == "averias":
        t = Text().add("No tengo internet. Vivo en la ").pii("ADDRESS", c.address)
        turn("customer", t)
        turn("agent", Text().add(f"Hay una falla masiva en {c.city}; se estima solución en 4 horas."))
        t = Text().add("Pueden avisarme al ").pii("PHONE", c.alt_phone)
        turn("customer", t)
    elif kind == "planes":
        turn("customer", Text().add(f"Quiero pasar al {R.choice(PLANS)}"))
        t = Text().add("Claro. ¿Qué equipo tiene? Necesito el IMEI.")
        turn("agent", t)
        t = Text().add(f"Un {R.choice(DEVICES)}, IMEI ").pii("IMEI", c.imei)
        turn("customer", t)
    elif kind == "pedidos":
        turn("customer", Text().add(f"Mi pedido {order_no()} no ha llegado"))
        turn("agent", Text().add("¿Me confirma la dirección de entrega?"))
        t = Text().pii("ADDRESS", c.address).add(f", {c.city}")
        turn("customer", t)
    else:
        turn("customer", Text().add("Estoy en Lima y no tengo datos"))
        turn("agent", Text().add("Active el roaming de datos en ajustes. ¿Me da un correo para enviarle las tarifas?"))
        turn("customer", Text().pii("EMAIL", c.email))
    if R.random() < 0.5:
        turn("customer", Text().add("ok"))
    t = Text().add("Listo, ").pii("PERSON", c.first).add(R.choice([
        ". Queda registrado el caso. ¿Algo más?", ", ya quedó solucionado. ¿Le puedo ayudar en algo más?"]))
    turn("agent", t)
    turn("customer", Text().add(R.choice(["No, gracias", "Eso es todo, muchas gracias", "Gracias!"])))
    return kind, agent, turns


# ------------------------------------------------------------------ main
def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "data", "demo"))
    args = parser.parse_args()
    out_dir = os.path.normpath(args.out)
    os.makedirs(os.path.join(out_dir, "golden"), exist_ok=True)
    gold = []

    def gold_line(file, line, rid, field, text_obj):
        if isinstance(text_obj, Text):
            text, spans = text_obj.value(), text_obj.spans
        else:
            text, spans = text_obj, []
        if not text:
            return
        gold.append({"file": file, "line": line, "id": rid, "field": field, "text": text,
                     "spans": spans})

    tickets = []
    for i in range(1, 161):
        c = Customer("CO" if R.random() < 0.68 else "ES")
        scenario, category = SCENARIOS[(i - 1) % len(SCENARIOS)] if i <= 16 else R.choice(SCENARIOS)
        title, t = scenario(c)
        rid = f"TCK-{i:04d}"
        meta = {"category": category, "channel": R.choice(["email", "web", "app", "telefono"]),
                "created_at": f"2025-{R.randint(1, 12):02d}-{R.randint(1, 28):02d}",
                "priority": R.choice(["baja", "media", "alta"]),
                "customer_id": c.customer_id,
                "country": c.country}
        tickets.append({"id": rid, "title": title, "text": t.value(), "type": "ticket",
                        "metadata": meta})
        gold_line("tickets.jsonl", i, rid, "title", title)
        gold_line("tickets.jsonl", i, rid, "text", t)

    chats = []
    for i in range(1, 91):
        c = Customer("CO" if R.random() < 0.7 else "ES")
        kind, agent, turns = chat_turns(c)
        rid = f"CHAT-{i:04d}"
        title = {"facturacion": "Chat: consulta de factura", "portabilidad": "Chat: portabilidad",
                 "averias": "Chat: falla de internet", "planes": "Chat: cambio de plan",
                 "pedidos": "Chat: pedido pendiente", "roaming": "Chat: roaming"}[kind]
        record = {"id": rid, "title": title, "text": "", "type": "chat",
                  "metadata": {"category": kind, "channel": "chat",
                               "created_at": f"2025-{R.randint(1, 12):02d}-{R.randint(1, 28):02d}",
                               "customer_id": c.customer_id, "country": c.country},
                  "turns": [{"role": role, "text": t.value()} for role, t in turns]}
        chats.append(record)
        gold_line("chats.jsonl", i, rid, "title", title)
        for k, (role, t) in enumerate(turns):
            gold_line("chats.jsonl", i, rid, f"turns[{k}].text", t)

    def write(name, rows):
        with open(os.path.join(out_dir, name), "w", encoding="utf-8") as f:
            for row in rows:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")

    write("tickets.jsonl", tickets)
    write("chats.jsonl", chats)
    write(os.path.join("golden", "pii_gold.jsonl"), gold)
    counts = {}
    for g in gold:
        for s in g["spans"]:
            counts[s["type"]] = counts.get(s["type"], 0) + 1
    print(f"{len(tickets)} tickets, {len(chats)} chats, {len(gold)} gold texts")
    print(" ".join(f"{k}={v}" for k, v in sorted(counts.items())))


if __name__ == "__main__":
    main()
