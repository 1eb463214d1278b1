#!/usr/bin/env python3
"""Held-out PII gold set for atiende privacy (written independently of scripts/gen_demo_tickets.py).

Texts are marked up as "[[TYPE:surface]]"; offsets (code points, as in pii_gold.jsonl and
src/privacy/eval.h) are computed by construction. All identifiers are synthetic but valid
(Luhn, mod-23, mod-97, DIAN check digit, CIF control).
Usage: python3 scripts/gen_pii_heldout.py data/demo/golden/pii_heldout.jsonl
"""
import json
import random
import re
import sys

rng = random.Random(20250611)

# ---------------------------------------------------------------- checksum helpers
def luhn_complete(prefix_digits: str, length: int) -> str:
    body = prefix_digits + "".join(str(rng.randrange(10)) for _ in range(length - len(prefix_digits) - 1))
    for c in "0123456789":
        if luhn_ok(body + c):
            return body + c
    raise RuntimeError


def luhn_ok(d: str) -> bool:
    s = 0
    for i, ch in enumerate(reversed(d)):
        v = int(ch)
        if i % 2 == 1:
            v *= 2
            if v > 9:
                v -= 9
        s += v
    return s % 10 == 0


def grp(d: str, sizes, sep=" "):
    out, i = [], 0
    for n in sizes:
        out.append(d[i:i + n]); i += n
    return sep.join(out)


def card(prefix="4", length=16, sep=" ", sizes=(4, 4, 4, 4)):
    d = luhn_complete(prefix, length)
    return grp(d, sizes, sep) if sep is not None else d


def imei(sep=None, sizes=(2, 6, 6, 1)):
    d = luhn_complete(rng.choice(["35", "86", "35"]) + str(rng.randrange(100000, 999999)), 15)
    return grp(d, sizes, sep) if sep is not None else d


def iccid(prefix="8957", n=19, sep=None, sizes=(4, 4, 4, 4, 3)):
    d = luhn_complete(prefix, n)
    return grp(d, sizes, sep) if sep is not None else d


DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def dni(sep=""):
    n = rng.randrange(10000000, 79999999)
    return f"{n:08d}{sep}{DNI_LETTERS[n % 23]}"


def nie(sep=""):
    p = rng.choice("XYZ")
    n = rng.randrange(1000000, 9999999)
    full = int(str("XYZ".index(p)) + f"{n:07d}")
    return f"{p}{sep}{n:07d}{sep}{DNI_LETTERS[full % 23]}"


def nit_dv(base: str) -> int:
    w = [3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71]
    s = sum(int(c) * w[i] for i, c in enumerate(reversed(base)))
    r = s % 11
    return r if r <= 1 else 11 - r


def nit(dots=True, dash=True):
    base = str(rng.randrange(800000000, 999999999))
    dv = nit_dv(base)
    b = f"{base[:3]}.{base[3:6]}.{base[6:]}" if dots else base
    return f"{b}-{dv}" if dash else f"{b}{dv}"


def cif(org="B"):
    digs = "".join(str(rng.randrange(10)) for _ in range(7))
    even = sum(int(digs[i]) for i in (1, 3, 5))
    odd = 0
    for i in (0, 2, 4, 6):
        dd = int(digs[i]) * 2
        odd += dd // 10 + dd % 10
    c = (10 - (even + odd) % 10) % 10
    last = str(c) if org in "ABEH" else "JABCDEFGHI"[c]
    return f"{org}{digs}{last}"


def iban_es(spaced=True):
    bban = "".join(str(rng.randrange(10)) for _ in range(20))
    num = int(bban + "1428" + "00")  # E=14 S=28
    chk = 98 - num % 97
    s = f"ES{chk:02d}{bban}"
    return " ".join(s[i:i + 4] for i in range(0, len(s), 4)) if spaced else s


def iban_check(s):
    v = s.replace(" ", "")
    v = v[4:] + v[:4]
    return int("".join(str(int(c, 36)) for c in v)) % 97 == 1


def cc_num(dots=False, n=None):
    n = n or rng.choice([8, 10, 10])
    d = str(rng.randrange(10 ** (n - 1), 10 ** n)) if n == 8 else "1" + "".join(str(rng.randrange(10)) for _ in range(9))
    if not dots:
        return d
    # thousands separators from the right
    out = ""
    for i, ch in enumerate(reversed(d)):
        if i and i % 3 == 0:
            out = "." + out
        out = ch + out
    return out


# ---------------------------------------------------------------- records
P = "PERSON"; E = "EMAIL"; T = "PHONE"; A = "ADDRESS"; D = "DATE_OF_BIRTH"


def m(t, s):
    return f"[[{t}:{s}]]"


R = []  # (kind, marked-up text)

def add(text, kind="ticket"):
    R.append((kind, text))

# ---- positives: tickets / emails
add(f"Hola, soy {m(P,'maria fernanda lopez')} y mi celular es {m(T,'+57 310 555 0199')}. Desde el martes no me entran llamadas.")
add(f"Buenas tardes, mi nombre es {m(P,'Juan Sebastián de la Torre')}, cédula {m('CO_CC',cc_num(True,10))}, y me llegó la factura de mayo por $189.900 cuando mi plan vale $59.900.")
add(f"{m(P,'Valentina Ospina Restrepo')} llamó tres veces por el cobro de roaming en Panamá. Pide devolución a la tarjeta terminada en 4421.", "note")
add(f"Quiero portar mi número {m(T,'311-482-7730')} de Claro a ustedes. Titular: {m(P,'Luis Eduardo Cárdenas')}, C.C. {m('CO_CC',cc_num(False,8))}.")
add(f"Me cobraron dos veces el equipo. Les dejo mi correo <{m(E,'andres.felipe.rojas@gmail.com')}> para que me envíen el soporte.")
add(f"buenas, escribo por mi mamá {m(P,'Gloria Inés Patiño')} que no entiende la factura. Su línea es la {m(T,'(604) 444 5566')} y vive en la {m(A,'Cra. 70 # 44B-21, apto 1203')}, Medellín.")
add(f"Me llamo {m(P,'Nuria Castells Puig')}, DNI {m('ES_DNI',dni())}, y quiero darme de baja de la fibra. Mi móvil es el {m(T,'612 34 56 78')}.")
add(f"Por favor devuelvan el importe a mi cuenta {m('IBAN',iban_es(True))}, a nombre de {m(P,'Jordi Ferrer Vidal')}.")
add(f"Compré un Galaxy A56 por la web y pagué con la {m('CREDIT_CARD',card('4',16,' '))}. El pedido 4471203 sigue en preparación.")
add(f"El equipo robado tiene IMEI {m('IMEI',imei())}. Necesito bloquearlo y reponer la SIM. Soy {m(P,'Camilo Andrés Vargas')}.")
add(f"La SIM nueva trae el ICCID {m('ICCID',iccid('8957',19,' '))} pero no activa. Mi número es {m(T,'3204418812')}.")
add(f"Señora {m(P,'Rosa Elvira Mendoza')}, le confirmo que el técnico visitará la {m(A,'Calle 45 # 12-30, apto 502')} el jueves entre 8:00 y 12:00.", "agent")
add(f"Vivo en {m(A,'C/ Mayor 12, 3º B, 28013')}, Madrid. Llevo una semana sin internet y nadie me da solución. {m(P,'Carmen Ruiz')}.")
add(f"Soy extranjero, mi cédula de extranjería es {m('CO_CE',str(rng.randrange(1000000,9999999)))} y no me dejan comprar el plan pospago.")
add(f"Somos Distribuciones La Montaña S.A.S., NIT {m('CO_NIT',nit(True,True))}. Necesitamos 15 líneas empresariales con el Plan 5G 20 GB.")
add(f"Factura a nombre de Talleres Gómez S.L., CIF {m('ES_CIF',cif('B'))}. Persona de contacto: {m(P,'Alberto Gómez Sáez')}, {m(T,'+34 655 41 92 07')}.")
add(f"Mi número de cliente es {m('CUSTOMER_ID','CLI-0458812')} y el contrato {m('CONTRACT_ID','CTR-2024-018834')}. Quiero cambiar al plan ilimitado.")
add(f"Fecha de nacimiento: {m(D,'14/02/1990')}. Nombre completo: {m(P,'Diana Marcela Quintero Ríos')}. Celular {m(T,'315 882 0047')}.", "form")
add(f"hola buenas noches soy {m(P,'jhon jairo munera')} y el internet se cae cada rato, mi correo es {m(E,'jhonjairo.m@hotmail.com')}")
add(f"Escríbanme a {m(E,'MARIA.LOPEZ@HOTMAIL.COM')} o al {m(T,'310.555.0123')}, es urgente porque me cortaron el servicio estando al día.")
add(f"Le habla {m(P,'Sofía')}, de UnaEmpresa. ¿Me confirma su número de documento, por favor?", "chat")
add(f"Sí señorita, mi cédula es la {m('CO_CC',cc_num(True,10))}.", "chat")
add(f"El titular de la línea es mi esposo, {m(P,'Hernán Darío Zapata')}, pero yo soy la que paga. Él tiene cédula {m('CO_CC',cc_num(False,10))}.")
add(f"NIE {m('ES_NIE',nie())}. Llegué hace poco a Valencia y quiero una tarifa con roaming a Colombia. Mi número provisional es {m(T,'+34 711 02 33 48')}.")
add(f"Estimada {m(P,'Mar Gil Soler')}: su portabilidad desde Movistar quedó programada para el 3 de julio.", "agent")
add(f"Nota interna: cliente {m(P,'Jorge Iván Mejía')} (CC {m('CO_CC','71.234.567')}) insiste en que no firmó el contrato {m('CONTRACT_ID','CTR-2023-771209')}. Escalar a fraude.", "note")
add(f"AGENTE: ¿Nombre del titular?\nCLIENTE: {m(P,'Pedro Antonio Salcedo Beltrán')}.\nAGENTE: Gracias, don {m(P,'Pedro')}. ¿Y un teléfono de contacto?\nCLIENTE: El {m(T,'321 779 0455')}.", "transcript")
add(f"Necesito el paz y salvo. Mis datos: {m(P,'Laura Cristina Beltrán')}, cc {m('CO_CC',cc_num(False,10))}, correo {m(E,'laura.beltran@correo.com.co')}.")
add(f"Pagué con tarjeta MasterCard {m('CREDIT_CARD',card('5',16,'-'))} y el cargo salió doble.")
add(f"Pago rechazado con la Amex {m('CREDIT_CARD',card('37',15,' ',(4,6,5)))}. ¿Aceptan otro medio?")
add(f"Mi DNI es {m('ES_DNI',dni('-'))} y mi fecha de nacimiento el {m(D,'3 de marzo de 1978')}. No reconozco el alta de la línea {m(T,'693 20 11 45')}.")
add(f"Buenos días, {m(P,'Ana Belén Herrero')} al habla. Me han cobrado 29,95 € por una permanencia que ya cumplí.")
add(f"El router muestra la IP {m('IP_ADDRESS','190.24.87.131')} y la MAC {m('MAC_ADDRESS','a4:2b:b0:7c:19:e2')}; sigue sin navegar.")
add(f"Dirección de envío: {m(A,'Avenida Boyacá # 64C-30 interior 4')}, Bogotá. Recibe {m(P,'Martha Lucía Rincón')}, tel. {m(T,'300 221 4410')}.")
add(f"Trabajo con {m(P,'Andrés')} en el mismo edificio y a él sí le funciona el 5G. Yo tengo un Motorola Edge 50, IMEI {m('IMEI',imei('-'))}.")
add(f"Los datos del tarjetahabiente son {m(P,'Óscar Julián Henao')} y la tarjeta {m('CREDIT_CARD',card('4',16,''))}.")
add(f"Quiero domiciliar el pago: IBAN {m('IBAN',iban_es(False))}. Titular {m(P,'Montserrat Puig i Soler')}.")
add(f"Hola {m(P,'Felipe')}, te escribo de parte de tu hermana {m(P,'Natalia')}: el chip quedó activado.", "chat")
add(f"La instalación era en la {m(A,'Calle 93 Bis # 19-40 oficina 301')} y el técnico fue a otra dirección.")
add(f"Vivo en {m(A,'Avda. Diagonal 640, 2º 1ª, 08017')}, Barcelona. El router Livebox no sincroniza.")
add(f"Mi dirección es {m(A,'Paseo de la Castellana 95, 7º izq.')}, Madrid, y la factura me llega a otra.")
add(f"Soy {m(P,'Luz Marina Cárdenas')}, la línea {m(T,'3157723390')} está a mi nombre y hay un consumo de datos en roaming que no hice.")
add(f"Contacto: {m(P,'Beatriz Elena Arango')}, {m(E,'beatriz.arango@uniandes.edu.co')}, {m(T,'+57 (601) 743 2211')}.")
add(f"Les escribe {m(P,'Gustavo Adolfo Peñaloza')} en nombre de Ferretería El Tornillo, NIT {m('CO_NIT',nit(False,True))}. Queremos fibra empresarial.")
add(f"Soy el representante legal, {m(P,'Rafael Humberto Osorio')}, con C.C. {m('CO_CC',cc_num(True,10))}, y autorizo a {m(P,'Yuliana Castaño')} a hacer trámites.")
add(f"Mi fecha de nacimiento es el {m(D,'22-11-1985')} y el sistema me pide verificarla, pero la app dice que no coincide.")
add(f"Nací el {m(D,'7 de enero de 1992')}, ¿por qué me piden la fecha para cambiar de plan?")
add(f"Perdí el celular. El IMEI lo tengo en la caja: {m('IMEI',imei())}. Cuenta {m('CUSTOMER_ID','CLI-3310576')}.")
add(f"Buenas, {m(P,'Ximena')} por aquí otra vez. El ticket anterior lo cerraron sin resolver.", "chat")
add(f"Mi nombre: {m(P,'Carlos Alberto Ñáñez')}. Documento: {m('CO_CC',cc_num(False,10))}. Plan actual: Plan Max 5G 40 GB.", "form")
add(f"El número que quiero portar es {m(T,'+34 622 187 309')} y el DNI del titular {m('ES_DNI',dni())}, que es mi padre, {m(P,'Francisco Javier Ortega')}.")
add(f"Llamé al {m(T,'3012345678')} y me colgaron. Ya es la cuarta vez.")
add(f"PEDIDO A NOMBRE DE {m(P,'JUAN CARLOS PEREZ')}, ENTREGAR EN {m(A,'CALLE 10 # 43-12 APTO 801')}, CALI.")
add(f"{m(P,'Isabel')} me atendió muy bien ayer en la tienda, pero el equipo vino con la pantalla rayada.")
add(f"Tengo dos líneas: {m(T,'312 447 8891')} y {m(T,'318 200 6743')}. Quiero unificarlas en una sola factura.")
add(f"Mi correo nuevo es {m(E,'dgarcia+facturas@outlook.es')}; el antiguo ({m(E,'d.garcia@yahoo.es')}) ya no lo uso.")
add(f"Consulta de {m(P,'Ramón Iglesias Prieto')} sobre la factura de abril. Teléfono fijo {m(T,'91 456 78 90')}.", "note")
add(f"¿Me pueden llamar al {m(T,'0034 646 112 208')}? Estoy en Colombia de vacaciones y el roaming no funciona.")
add(f"con la {m('CREDIT_CARD',card('5',16,' '))} no me deja pagar, dice tarjeta inválida. soy {m(P,'paola andrea giraldo')}")
add(f"La {m('ICCID',iccid('8934',19))} es la SIM que me enviaron, pero el paquete venía a nombre de {m(P,'Iker Etxeberria')}.")
add(f"Dirección de facturación: {m(A,'Calle de Alcalá 234, 5º izq., 28028')}, Madrid.")
add(f"Soy {m(P,'Daniel Felipe Torres')} y mi hijo {m(P,'Mateo')} usa la línea {m(T,'3168829954')}. Quiero activar el control parental.")
add(f"Agente {m(P,'Tatiana Moreno')}: se valida identidad con fecha de nacimiento {m(D,'30/05/1979')} y cédula {m('CO_CC',cc_num(True,8))}.", "note")
add(f"Hola! Mi número es el {m(T,'(+57) 3105550172')} y quiero saber si ya hay 5G en Bucaramanga.")
add(f"En la factura aparece {m(P,'María José Sánchez')} como titular pero yo soy {m(P,'María Josefa Sánchez')}, está mal escrito.")
add(f"ok gracias {m(P,'Diego')}. entonces espero el mensaje al {m(T,'3009931142')}", "chat")
add(f"Me cambié a la {m(A,'Diagonal 40A Sur # 27-15')}, Bogotá, y quiero trasladar el servicio de hogar.")
add(f"Reenvíen la factura a {m(E,'contabilidad@ferreteriaeltornillo.com')}, atención {m(P,'Sandra Milena Ruiz')}.")
add(f"Número de documento {m('CO_CC',cc_num(False,10))}, nombre {m(P,'Wilson Fernando Arias')}, ciudad Ibagué. Solicito la portabilidad.", "form")
add(f"La dirección es {m(A,'Carrera 11B #118-05 apto 201')}, en Usaquén. Nadie ha venido a instalar.")
add(f"Hablas con {m(P,'Esteban')}, de soporte técnico. Ya reinicié tu puerto desde aquí, prueba de nuevo.", "chat")
add(f"Señor {m(P,'Ortiz')}, su solicitud quedó radicada. Le llegará un SMS al {m(T,'+57 317 604 2290')}.", "agent")
add(f"DNI {m('ES_DNI',dni())}, NIE de mi mujer {m('ES_NIE',nie('-'))}. Queremos un contrato conjunto de fibra y dos móviles.")
add(f"Mi IMEI es {m('IMEI',imei(' ',(2,6,6,1)))} y me aparece como reportado, pero el teléfono lo compré nuevo en su tienda.")
add(f"Quedo atento. {m(P,'Guillermo León Restrepo')}\n{m(T,'310 447 1290')}\n{m(E,'guillermo.restrepo@gmail.com')}", "email")
add(f"La clienta {m(P,'Doris Amparo Lozano')} informa que le llegan llamadas de cobranza de una deuda que no es suya.", "note")
add(f"Nombre del titular: {m(P,'Teresa de Jesús Pérez')}. Nacimiento: {m(D,'12/12/1948')}. Es adulta mayor y no usa el correo.", "form")
add(f"Perdón, me equivoqué: el correo es {m(E,'vale.ospina92@gmail.com')} y no vale.ospina@gmail.com.".replace("y no vale.ospina@gmail.com", f"y no {m(E,'vale.ospina@gmail.com')}"))
add(f"mi cedula es {m('CO_CC','1.036.654.312')} y el numero de la linea {m(T,'3145578821')}, me pueden ayudar con la factura?")
add(f"Mando foto de la factura. Cuenta bancaria para la devolución: {m('IBAN','ES91 2100 0418 4502 0005 1332')}.")
add(f"Yo soy {m(P,'Alejandra Duque')}, y mi asesor fue {m(P,'Kevin Stiven Mosquera')}; me prometió un descuento del 30 %.")
add(f"Me dirijo a ustedes como usuaria {m(P,'Lina Marcela Ocampo')} para presentar un derecho de petición por cobros indebidos.")
add(f"Mi teléfono fijo en casa es {m(T,'601 743 9087')} y desde el lunes no tiene tono.")

add(f"Tengo C.E. {m('CO_CE','612345')} y el sistema me dice que el documento no existe. Mi correo es {m(E,'r.hernandez.ve@gmail.com')}.")
add(f"Número de identificación {m('CO_CC','1.098.765.432')}, a nombre de {m(P,'Yesenia Parra')}. Pido copia del contrato {m('CONTRACT_ID','CTR-2022-004512')}.")
add(f"CC. {m('CO_CC','43.876.221')} - {m(P,'Olga Lucía Restrepo')} - Solicita cancelar la línea adicional.", "note")
add(f"El chip dual: IMEI 1 {m('IMEI',imei())} e IMEI 2 {m('IMEI',imei())}. Solo el segundo reconoce la SIM de ICCID {m('ICCID',iccid('8957',20,' ',(4,4,4,4,4)))}.")
add(f"Pagué con la tarjeta de crédito número {m('CREDIT_CARD',card('4',16,'-'))}, vence 08/27. Exijo el reembolso.")
add(f"Mi cuenta de cliente {m('CUSTOMER_ID','CLI-0091234')} tiene dos facturas iguales del mes de marzo.")
add(f"La IPv6 que asigna el módem es {m('IP_ADDRESS','2800:e2:2a80:5b1::1f')} y no abre ninguna página.")
add(f"Mi nombre es {m(P,'Santiago')} y el de mi hermana {m(P,'Luisa Fernanda Echeverri')}; las dos líneas están en el mismo plan familiar.")

# ---- negatives (no PII, tricky look-alikes)
N = [
    "Mi plan actual es el Plan 5G 20 GB de $59.900 y me llegó una factura de $1.234.567. ¿Cómo es posible?",
    "El pedido 8523517 del Galaxy A56 sigue en tránsito desde el 12/03/2025.",
    "Luz roja fija en el módem desde anoche, ya lo desconecté dos veces.",
    "Compré un cargador rosa y una funda para el iPhone 16 Pro Max, pedido #2024-118734.",
    "Hay una caída masiva en Medellín y Envigado desde el 4 de mayo a las 6:30 p. m. según el estado del servicio.",
    "Soy cliente desde 2015 y nunca me habían cobrado la reconexión. Radicado 20241105-00342.",
    "Claro que sí, ya les envié el pantallazo. Gracias por la ayuda.",
    "Soy de Cali y quiero saber si el Plan Hogar 500 Mbps llega a mi barrio.",
    "La tienda del Centro Comercial Andino cierra a las 8 p. m.; la de la Gran Vía abre los domingos.",
    "Pagué $129.990 el 15 de abril y aún aparece la deuda. Referencia de pago 52018834.",
    "¿El roaming en Europa está incluido en el Plan Max 5G 40 GB o se cobra aparte a 9,90 € por día?",
    "CLIENTE: Buenas, llamo por la factura.\nAGENTE: Con gusto, ¿en qué le puedo ayudar?\nCLIENTE: Me cobraron el mes completo y estuve sin servicio.",
    "La velocidad contratada es 300 Mbps pero el test da 42 Mbps de bajada y 9 de subida.",
    "Quiero la promoción de Navidad: dos líneas por $89.900 con 30 GB cada una.",
    "Tengo un Mercedes con manos libres y el Bluetooth no reconoce el Xiaomi Redmi Note 13.",
    "Victoria total: por fin funciona el internet después de tres visitas técnicas.",
    "Dolores de cabeza me ha dado esta compañía con la portabilidad, van 20 días hábiles.",
    "El código de verificación 482913 no me llega por SMS, solo por correo.",
    "Estoy en La Paz, Bolivia, y no tengo señal. ¿El roaming se activa solo?",
    "Buenos días, quiero cambiar el plan prepago por uno pospago de 25.000 pesos.",
    "Ticket TCK-88421 cerrado sin solución. Lo reabro.",
    "A nombre de la empresa necesitamos la factura electrónica con el desglose de IVA del 19 %.",
    "El cobro de $45.000 corresponde a la cuota 3 de 12 del Motorola Edge 50.",
    "Entre las 8:00 y las 14:00 del 20/06/2025 habrá mantenimiento programado en Santa Marta.",
    "El firmware del router quedó en la versión 2.10.5 y el WiFi 6 sigue sin aparecer.",
    "Perfecto, quedo pendiente del correo de confirmación.",
    "Con gusto le ayudo. ¿Podría indicarme el número de la línea afectada?",
    "Hola, quiero saber el saldo de mi cuenta y la fecha de corte de este mes.",
    "La Sagrada Familia y el Camp Nou salen sin cobertura 5G en el mapa, ¿es correcto?",
    "Pilar fundamental del servicio debería ser la atención, no las promociones.",
    "El plan cuesta 35,50 € al mes durante 12 meses y luego sube a 42 €.",
    "¿Tienen el Samsung Galaxy S24 Ultra en 512 GB? En la página dice agotado.",
    "Me llegó un SMS del 85432 ofreciendo un paquete de minutos; no lo pedí.",
    "San Andrés y Providencia siguen sin servicio móvil por el huracán, según las noticias.",
    "Nunca recibí la SIM. La guía de envío 700012345678 dice entregado.",
    "Buenas noches. Abril, mayo y junio me cobraron el decodificador adicional que devolví.",
    "Llamé a la línea de atención *611 y a la 01 8000 123 456 sin respuesta.",
]
for t in N:
    add(t, "neg")

# ---- second batch: harder phrasing
add(f"Ayer hablé con {m(P,'Marcela Ríos')} en la línea de atención y me dijo que el reembolso tardaba 5 días.")
add(f"le dije a {m(P,'carolina')} que no pidiera el equipo a crédito, pero igual lo hizo con mi cédula {m('CO_CC','52.778.104')}")
add(f"Titular: {m(P,'María de los Ángeles Suárez Peña')}. Teléfono {m(T,'310 5550188')}. Dirección {m(A,'Cl 80 # 10-43')}, Bogotá.", "form")
add(f"Necesito trasladar el internet a la {m(A,'Calle 26 Sur No. 68-91')}, barrio Carvajal.")
add(f"Enviar el módem a {m(A,'C/ San Vicente Mártir 45, pta. 12, 46002')}, Valencia, a la atención de {m(P,'Vicente Llorens')}.")
add(f"La línea la usa mi suegra, {m(P,'Consuelo Gutiérrez')}, que tiene 80 años y no sabe usar la app.")
add(f"dni {m('ES_DNI',dni().lower())}, quiero saber por qué me habéis subido la tarifa 3 euros sin avisar")
add(f"Soy {m(P,'John Smith')}, extranjero, pasaporte en trámite. Mi email es {m(E,'john.smith.bog@protonmail.com')}.")
add(f"Por favor comuníquense con mi hija {m(P,'Mafe')} al {m(T,'+57 301 884 2217')}, ella maneja mis cuentas.")
add(f"Buenas, {m(P,'Wilmer Andrés Rentería Mosquera')} desde Quibdó: el 4G no funciona desde hace una semana.")
add(f"Fecha de nac.: {m(D,'1979-05-30')}. Documento: {m('CO_CC','1 020 345 678'.replace(' ','.'))}.", "form")
add(f"El asesor {m(P,'Brayan Stiven')} me ofreció el Plan 5G 20 GB a mitad de precio y ahora no lo respetan.")
add(f"Cédula de ciudadanía número {m('CO_CC','80 123 456')}, expedida en Bogotá. Solicito duplicado de la factura.")
add(f"Hola, mi nombre es {m(P,'Pilar Domínguez')} y os escribo porque el técnico no ha venido. Mi teléfono: {m(T,'686-45-12-90')}.")
add(f"La señora {m(P,'Gutiérrez')} llamó de nuevo; dice que el número {m(T,'314 662 0918')} le sigue saliendo ocupado.", "note")
add(f"Mis datos para la portabilidad: {m(P,'Iñaki Zubizarreta Olano')}, {m('ES_NIE',nie())}, {m(T,'634 557 201')}.")
add(f"Envíen la nueva SIM a {m(A,'Transversal 5 Este # 12-04')}, Chía, a nombre de {m(P,'Fabio Nelson Cruz')}.")
N2 = [
    "Adjunto el documento de la factura N.º 30045678 en PDF para que revisen el cobro.",
    "La puerta de enlace es 192.168.1.1 pero no me deja entrar a la configuración del router.",
    "El Hospital San Vicente y el Estadio El Campín tienen buena señal, en mi casa no.",
    "Milagros no hace nadie en esta empresa: tres semanas sin línea fija.",
    "La Cruz Roja nos pidió donar minutos; ¿UnaEmpresa tiene algún programa así?",
    "Pago por Nequi o Daviplata, ¿o solo con tarjeta de Bancolombia?",
    "Fecha de corte 15/07/2025, fecha límite de pago 25/07/2025.",
    "El número de orden 3001245789 aparece como cancelado, pero me descontaron el dinero.",
    "Consuelo me queda poco después de tantos reclamos sin respuesta.",
    "Vivo en Los Ángeles de vacaciones un mes, ¿funciona el roaming en Estados Unidos?",
    "El S/N del decodificador es R58N12A3BCD y el modelo DX-4500.",
    "Avenida El Dorado con carrera 68 no hay cobertura, se cae la llamada siempre en ese cruce.",
]
for t in N2:
    add(t, "neg")

# ---------------------------------------------------------------- build
MARK = re.compile(r"\[\[([A-Z_]+):(.*?)\]\]", re.S)


def build(marked):
    out, spans, pos = [], [], 0
    last = 0
    for mm in MARK.finditer(marked):
        out.append(marked[last:mm.start()])
        pos += len(marked[last:mm.start()])
        surf = mm.group(2)
        spans.append({"start": pos, "end": pos + len(surf), "type": mm.group(1)})
        out.append(surf)
        pos += len(surf)
        last = mm.end()
    out.append(marked[last:])
    return "".join(out), spans


def validate(text, spans):
    for s in spans:
        v = text[s["start"]:s["end"]]
        d = re.sub(r"\D", "", v)
        t = s["type"]
        if t in ("CREDIT_CARD", "IMEI", "ICCID"):
            assert luhn_ok(d), v
        if t == "IMEI":
            assert len(d) == 15, v
        if t == "ICCID":
            assert d.startswith("89") and len(d) in (19, 20), v
        if t == "IBAN":
            assert iban_check(v), v
        if t == "ES_DNI":
            w = re.sub(r"[^0-9A-Z]", "", v.upper()); assert DNI_LETTERS[int(w[:8]) % 23] == w[8], v
        if t == "ES_NIE":
            w = re.sub(r"[^0-9A-Z]", "", v.upper()); assert DNI_LETTERS[int(str("XYZ".index(w[0])) + w[1:8]) % 23] == w[8], v
        if t == "CO_NIT":
            assert nit_dv(d[:-1]) == int(d[-1]), v
        assert v == v.strip() and v, repr(v)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/pii_heldout.jsonl"
    n = 0
    with open(out, "w", encoding="utf-8") as f:
        for kind, marked in R:
            if marked is None:
                continue
            n += 1
            text, spans = build(marked)
            validate(text, spans)
            rec = {"file": "heldout", "line": n, "id": f"HO-{n:03d}", "field": "text",
                   "text": text, "spans": spans}
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"wrote {n} records to {out}")


if __name__ == "__main__":
    main()
