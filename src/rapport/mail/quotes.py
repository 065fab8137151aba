"""Step (e): the new text of a reply, without the quoted history and signature.

Plain text and HTML are both read as lines (mail/quote_lines.py), each quoted
(`>` or inside a `<blockquote>`) or not, and one set of rules finds the history:

- a quote with its "On … wrote:" line (many languages, wrapped over up to three
  lines, or a date and an address ending in a colon as Russian clients write
  it), and a dated attribution with no `>` below it;
- Outlook's separators and header blocks (`-----Original Message-----`, a row
  of underscores, From/Sent/To/Subject in many languages), the quote
  containers of Outlook and Yahoo, a rule above a header; in HTML, a last
  blockquote.

Safety first, since losing the sender's text is worse than showing a quote:
the sender's text below one quote keeps both parts of the reply (plain text
drops that quote), answers between quotes keep everything above the last
answer, a quote with no attribution stays in plain text, a forward is content,
"answers inline" keeps an Outlook quote, and when nothing would remain all of
it stays. Then a signature below `-- ` or a row of dashes, and a "Sent from my
iPhone" line, go.

The work is linear in the input, cut at MAX_SCAN_* characters. The rules, the
scores before and after and those of the libraries we tried (`make
eval-quotes`, fixtures in mail/tests/quote_fixtures/) are in docs/quotes.md.
The full message stays on the inbound record, one click away.
"""

from __future__ import annotations

import re
from itertools import islice

from rapport.mail.quote_lines import Line, html_lines, text_lines

# Past these many characters the history is not searched, so no input costs
# more than this much work (at most about 0.3 s on a loaded 2-core machine, `make eval-quotes`);
# a reply whose own part is longer is shown whole. HTML gets more room for
# Outlook's styles and markup; bodies are shown cut at pipeline.MAX_DISPLAY.
MAX_SCAN_TEXT = 150_000
MAX_SCAN_HTML = 300_000
_MATCH_CHARS = 300  # a header line longer than this is not a header

_SENT_FROM_PREFIX = (
    r"sent from|sent with|sent via|get outlook|von meinem|gesendet (von|mit|vom)|holen sie sich"
    r"|envoy[ée] (de|depuis|avec)|obtenir outlook|t[ée]l[ée]charger outlook"
    r"|enviado (desde|do|de|con)|obtener outlook|verstuurd (vanaf|van|met)"
    r"|verzonden (vanaf|van|met)|download outlook"
    r"|wys[łl]ane (z|ze|przy)|skickat fr[åa]n|sendt fra|[oо]тправлено (с|из|со)"
    r"|(được )?gửi từ|inviato da|scarica outlook|lähetetty|odesl[áa]no z|iphone['’]?[ao]?dan"
)
_DEVICE = (
    r"iphon|ipad|ipod|android|blackberry|samsung|galaxy|huawei|xiaomi|pixel|nokia|mobile|"
    r"smartphone|handy|phone|outlook|mail|windows|yahoo|gmail|proton|tablet|device|appareil|"
    r"dispositivo|telefon|телефон|смартфон|điện thoại|k-9|fairemail|spark|aol|ios\b"
)
# The device or app within the first words: "Sent from my desk, …" is a sentence.
_MOBILE_SIGNATURE = re.compile(
    rf"^({_SENT_FROM_PREFIX})\b\W*(\S+\s+){{0,3}}?\S*?({_DEVICE})", re.IGNORECASE
)

# The verbs of an attribution line ("… wrote:"), in the languages we serve.
_VERBS = (
    r"wrote|writes|sent|schrieb|geschrieben|[ée]crit|escribi[óo]|escreveu|ha scritto|scrisse"
    r"|schreef|geschreven|napisa[łl](\(a\)|a)?|skrev|kirjoitti|napsal(\(a\)|a)?|пишет"
    r"|написал(\(а\)|а)?|đã viết|yazd[ıi]|írta|έγραψε|a scris|写道|寫道|書きました|작성"
)
_COLONS = (":", "：")  # Chinese and Japanese clients write the full-width one
_ATTRIBUTION_VERB = re.compile(rf"({_VERBS})\s*[:：]$", re.IGNORECASE)
_VERB_WORD = re.compile(rf"\b({_VERBS})\b", re.IGNORECASE)
# Gmail's old "2011/4/7 Name <address>" (no verb, no colon) above a quote.
_DATE_ADDRESS = re.compile(r"^\d[^<>]{0,200}<[^<>\s]+@[^<>\s]+>\s*[:：]?$")
_TIME = re.compile(r"\d{1,2}[:.]\d{2}")
_FORWARD = re.compile(
    r"forwarded message|begin forwarded message|original message follows|weitergeleitete"
    r"|anfang der weitergeleiteten|message transf[ée]r[ée]|message r[ée]exp[ée]di[ée]"
    r"|mensaje reenviado|mensagem encaminhada|mensagem reencaminhada|doorgestuurd bericht"
    r"|wiadomo[śs][ćc] przekazana|przekazana wiadomo|vidarebefordrat|videresendt"
    r"|пересылаемое сообщение|пересланное сообщение|messaggio inoltrato|välitetty viesti"
    r"|přeposlaná zpráva|thư được chuyển tiếp|chuyển tiếp",
    re.IGNORECASE,
)
_OUTLOOK_SEPARATOR = re.compile(r"^[-–]{3,}\s*[^-–\s][^-–]{1,60}[-–]{3,}$")
# Outlook's own separator, whatever follows it.
_ORIGINAL_MESSAGE = re.compile(
    r"^[-–_*\s]*(original message|reply message|ursprüngliche nachricht|original-nachricht"
    r"|originalnachricht|antwort nachricht|message d'origine|message original|mensaje original"
    r"|oorspronkelijk bericht|origineel bericht|wiadomość oryginalna|oryginalna wiadomość"
    r"|ursprungligt meddelande|oprindelig meddelelse|opprinnelig melding|исходное сообщение"
    r"|оригинальное сообщение|thư gốc|messaggio originale|mensagem original|alkuperäinen viesti"
    r"|původní zpráva|eredeti üzenet|orijinal mesaj|αρχικό μήνυμα|原始邮件|原始郵件"
    r"|元のメッセージ|원본 메시지)[-–_*\s:：]*$",
    re.IGNORECASE,
)
_UNDERSCORES = re.compile(r"^_{10,}$")
_SIGNATURE_RULE = re.compile(r"^([-–]{5,}|_{5,})$")
_FIELD = r"^\*?({})\s*(\*\s*[:：]|[:：]\s*\*?)"
_FROM_FIELD = re.compile(
    _FIELD.format(
        "from|von|de|van|od|från|fra|от|từ|da|lähettäjä|mittente|kimden|feladó|odesílatel"
        "|afzender|expéditeur|remitente|发件人|寄件者|差出人|보낸 사람"
    ),
    re.IGNORECASE,
)
_SENT_FIELD = re.compile(
    _FIELD.format(
        "sent|date|gesendet|datum|envoy[ée]|enviado( el)?|enviada( em)?|fecha|verzonden|wysłano"
        "|data|skickat|sendt|dato|отправлено|дата|đã gửi|ngày|inviato|lähetetty|päivämäärä"
        "|odesláno|gönderildi|tarih|elküldve|dátum|发送时间|寄件日期|送信日時|日期|보낸 날짜"
    ),
    re.IGNORECASE,
)
_SUBJECT_FIELD = re.compile(
    _FIELD.format(
        "subject|betreff|objet|asunto|onderwerp|temat|ämne|emne|тема|chủ đề|oggetto|assunto"
        "|aihe|předmět|konu|tárgy|主题|主旨|件名|제목"
    ),
    re.IGNORECASE,
)
_TO_FIELD = re.compile(
    _FIELD.format(
        "to|cc|an|kopie|à|a|para|aan|do|till|til|кому|копия|đến|vastaanottaja|komu|kime|címzett"
        "|收件人|收件者|宛先|받는 사람"
    ),
    re.IGNORECASE,
)
# Subject prefixes of a forward (FW, WG, TR, RV, ENC, Doorst, PD, VS, VB, VL, I, Пересл).
_FORWARD_SUBJECT = re.compile(
    r":\s*(fw|fwd|wg|tr|rv|enc|doorst|pd|vs|vb|vl|i|пересл|переслано)\s*:", re.IGNORECASE
)
# The sender says the answers are inside the quote: keep it.
_INLINE_HINT = re.compile(
    r"\binline\b|\bin-line\b"
    r"|(answers|comments|replies|responses) (are )?(below|in (the )?(text|mail|message))"
    r"|siehe unten|unten im text|antworten (stehen )?(unten|im text)|mes réponses|réponses dans le"
    r"|respuestas (abajo|debajo|en el texto)|zie hieronder|antwoorden (hieronder|in de tekst)"
    r"|odpowiedzi (poniżej|w tekście)|svar nedan|svar nedenfor|ответы ниже|см\. ниже|xem bên dưới"
    r"|risposte (sotto|nel testo)|respostas (abaixo|no texto)",
    re.IGNORECASE,
)


KEEP_ALL = -1  # a forward, or answers inside the quote: nothing is cut


def new_text(text: str) -> str:
    """The part of a plain-text mail the sender wrote now (all of it if unsure)."""
    lines = text_lines(text[:MAX_SCAN_TEXT])
    dropped = _dropped(lines, gaps=True)
    if not dropped:
        return text.strip()
    return _assemble(text, lines, dropped).strip()


def new_html(html: str) -> str:
    """The HTML before the quoted history (all of it if nothing is found).

    The cut may leave elements open; the sanitiser closes them."""
    lines = html_lines(html[:MAX_SCAN_HTML])
    dropped = _dropped(lines, gaps=False)
    if not dropped:
        return html
    return _assemble(html, lines, dropped)


def _assemble(value: str, lines: list[Line], dropped: list[tuple[int, int]]) -> str:
    """The input without the dropped line ranges (a range reaching the end drops
    the rest of the input, beyond the scanned part too)."""
    parts, position = [], 0
    for first, end in dropped:
        parts.append(value[position : lines[first].start])
        if end >= len(lines):
            return "".join(parts)
        position = lines[end].start
    parts.append(value[position:])
    return "".join(parts)


# The rules ------------------------------------------------------------------


_Found = int | tuple[int, int] | None  # a cut, a quote to drop between texts, nothing


def _dropped(lines: list[Line], *, gaps: bool) -> list[tuple[int, int]]:
    """The line ranges (first, end) that are history or signature; [] keeps all."""
    found = _history_start(lines, gaps=gaps)
    if found == KEEP_ALL:
        return []
    dropped: list[tuple[int, int]] = []
    end = len(lines)
    if isinstance(found, tuple):
        dropped.append(found)
    elif found is not None:
        end = found
    end = _without_signature(lines, end)
    if isinstance(found, tuple) and end <= found[1]:
        # The signature starts above the quote's end: all from there goes.
        dropped = [(min(end, found[0]), len(lines))]
    elif end < len(lines):
        dropped.append((end, len(lines)))
    kept = [line for k, line in enumerate(lines) if not any(a <= k < b for a, b in dropped)]
    if not any(line.text for line in kept):
        return []  # nothing new beside the quote: keep all rather than nothing
    return dropped


def _history_start(lines: list[Line], *, gaps: bool) -> _Found:
    i = -1
    while i + 1 < len(lines):
        i += 1
        line = lines[i]
        if line.marker == "history":
            return _unless_inline(lines, i)
        if line.quoted:
            if _FORWARD.search(line.text[:_MATCH_CHARS]) and _is_separator_like(line.text):
                return KEEP_ALL
            attributed = _attribution_above(lines, i) < i or _is_attribution(
                line.text[-_MATCH_CHARS:], strong=False
            )
            # A quote with no "On … wrote:" may be the sender's own (a passage of a
            # manual); in HTML a last blockquote is still the history, as clients
            # put it there, but in plain text it stays.
            if attributed or (not gaps and line.boxed and _is_last_quote(lines, i)):
                return _quote_start(lines, i, gaps=gaps)
            while i + 1 < len(lines) and (lines[i + 1].quoted or not lines[i + 1].text):
                i += 1
            continue
        head = line.text[:_MATCH_CHARS]
        if line.marker == "hr":
            header = i if head else i + 1
            if _header_block(lines, header, need_date=False, after_rule=True):
                return _cut_before_header(lines, i, header)
        if not head:
            continue
        if _ORIGINAL_MESSAGE.match(head) and "--" in head:
            return _cut_before_header(lines, i, i + 1)
        if _FORWARD.search(head) and _is_separator_like(line.text):
            return KEEP_ALL  # a forward is what the sender sends
        if _OUTLOOK_SEPARATOR.match(head):
            if _VERB_WORD.search(head) and re.search(r"\d", head):
                return _unless_inline(lines, i)  # "----- On 12/29/1987, X wrote -----"
            if _header_block(lines, i + 1, need_date=False):
                return _cut_before_header(lines, i, i + 1)
        if _UNDERSCORES.match(head) and _header_block(lines, i + 1, need_date=False):
            return _cut_before_header(lines, i, i + 1)
        is_field = _FROM_FIELD.match(head) or _SENT_FIELD.match(head)
        if is_field and _header_block(lines, i, need_date=True):
            return _cut_before_header(lines, i, i)
        ends_header = head.endswith(_COLONS)
        if ends_header and (_VERB_WORD.search(head) or _ATTRIBUTION_VERB.search(head[-40:])):
            start = _attribution_start(lines, i)
            joined = " ".join(x.text for x in lines[start : i + 1])
            if _is_attribution(joined, strong=True) and not _next_is_quoted(lines, i):
                return _unless_inline(lines, start)
    return None


def _cut_before_header(lines: list[Line], cut: int, header: int) -> int:
    """Cut at an Outlook header block unless it is a forward's or answered inline."""
    for line in lines[header : header + 8]:
        if _SUBJECT_FIELD.match(line.text) and _FORWARD_SUBJECT.search(line.text[:_MATCH_CHARS]):
            return KEEP_ALL
    return _unless_inline(lines, cut)


def _is_separator_like(text: str) -> bool:
    """A forward marker stands alone on its line ("Begin forwarded message:")."""
    return len(text) < 120 and not text.endswith((".", "?", "!"))


def _unless_inline(lines: list[Line], i: int) -> int:
    above = " ".join(line.text for line in lines[max(0, i - 40) : i])
    return KEEP_ALL if _INLINE_HINT.search(above[-2000:]) else i


def _header_block(lines: list[Line], i: int, *, need_date: bool, after_rule: bool = False) -> bool:
    """A quoted message's header fields (any language) from line i on.

    Without a separator above, a dated Sent/Date field and a To or Subject field
    are needed, so "From: the 3rd floor / To: the 5th floor" stays text."""
    texts = [line.text[:_MATCH_CHARS] for line in lines[i : i + 12] if line.text][:8]
    if not texts or not (_FROM_FIELD.match(texts[0]) or _SENT_FIELD.match(texts[0])):
        return False
    has_from = any(_FROM_FIELD.match(t) for t in texts)
    dated = any(_SENT_FIELD.match(t) and re.search(r"\d", t) for t in texts)
    has_subject = any(_SUBJECT_FIELD.match(t) for t in texts)
    has_to = any(_TO_FIELD.match(t) for t in texts)
    if need_date:
        return dated and (has_subject or has_to)
    if after_rule and (dated or (has_from and "@" in texts[0])):
        return True  # below a rule, a dated field or a sender's address is enough
    return (has_from or dated) and (has_subject or has_to or dated)


def _is_attribution(text: str, *, strong: bool) -> bool:
    """An "On … wrote:" line; strong: also dated, so the history needs no `>`."""
    if len(text) > _MATCH_CHARS:
        return False
    if not text.endswith(_COLONS):
        return not strong and bool(_DATE_ADDRESS.match(text))
    has_verb = bool(_ATTRIBUTION_VERB.search(text[-40:]))
    if strong:
        # Many languages put the verb before the name ("… schreef X <x@…>:").
        named = "@" in text or "<" in text
        verb = has_verb or (named and bool(_VERB_WORD.search(text)))
        return verb and bool(re.search(r"\d", text))
    return has_verb or bool(_TIME.search(text) and ("@" in text or "<" in text))


def _next_is_quoted(lines: list[Line], i: int) -> bool:
    for line in lines[i + 1 : i + 4]:
        if line.quoted:
            return True
        if line.text:
            return False
    return False


def _attribution_start(lines: list[Line], i: int) -> int:
    """The first line of an attribution that ends on line i: clients wrap it after
    the date or inside the address, so a line above joins while the header has
    no time yet and that line holds a digit or an address."""
    start = i
    joined = lines[i].text
    while start > max(0, i - 2) and not _TIME.search(joined):
        before = lines[start - 1]
        if before.quoted or not before.text or before.text.endswith((".", "!", "?")):
            break
        if not re.search(r"[\d@<]", before.text):
            break
        start -= 1
        joined = before.text + " " + joined
    return start


def _quote_start(lines: list[Line], i: int, *, gaps: bool) -> _Found:
    """What goes when line i opens a quote.

    Nothing of the sender's after it: the quote and its attribution. The sender's
    text after one attributed quote (bottom-posting, or a reply wrapped around
    the quote): that quote only, in plain text. Answers between several quotes:
    everything down to the last answer, since the quotes are their questions."""
    start = _attribution_above(lines, i)
    if not _own_text_after(lines, i):
        return start
    end = i
    while end < len(lines) and (lines[end].quoted or not lines[end].text):
        end += 1
    if gaps and start < i and not any(line.quoted for line in lines[end:]):
        return (start, end)
    last = len(lines)
    while last > 0 and (lines[last - 1].quoted or not lines[last - 1].text):
        last -= 1
    return last if last < len(lines) else None


def _attribution_above(lines: list[Line], i: int) -> int:
    """The first line of the "On … wrote:" above the quote at line i, else i."""
    previous = i - 1
    while previous >= 0 and not lines[previous].text and not lines[previous].quoted:
        previous -= 1
    if previous < 0 or lines[previous].quoted:
        return i
    start = _attribution_start(lines, previous)
    joined = " ".join(line.text for line in lines[start : previous + 1])
    if _is_attribution(joined[-_MATCH_CHARS:], strong=False):
        return start
    if _is_attribution(lines[previous].text[-_MATCH_CHARS:], strong=False):
        return previous
    return i


def _own_text_after(lines: list[Line], i: int) -> bool:
    for k in range(i, len(lines)):  # by index: no copy, called once per quote block
        line = lines[k]
        if line.quoted or not line.text:
            continue
        if _is_delimiter(line) or line.marker == "history":
            return False  # a signature or more history follows the quote
        if _is_mobile_signature(line.text) or _is_attribution(line.text, strong=False):
            continue
        return True
    return False


def _is_last_quote(lines: list[Line], i: int) -> bool:
    """Nothing of the sender's and no other attributed quote after line i."""
    if _own_text_after(lines, i):
        return False
    return not any(
        not line.quoted and line.text and _is_attribution(line.text[-_MATCH_CHARS:], strong=False)
        for line in lines[i:]
    )


def _is_delimiter(line: Line) -> bool:
    return line.marker == "signature" or line.text in ("--", "-- ", "—")


def _is_mobile_signature(text: str) -> bool:
    return len(text) < 150 and bool(_MOBILE_SIGNATURE.match(text))


def _without_signature(lines: list[Line], end: int) -> int:
    """Drop a signature at the end of the kept lines, never the text above it."""
    for _ in range(3):
        last = end
        while last > 0 and not lines[last - 1].text and not lines[last - 1].marker:
            last -= 1
        if last == 0:
            return end
        if not lines[last - 1].quoted and _is_mobile_signature(lines[last - 1].text):
            end = last - 1
            continue
        for k in range(max(0, last - 16), last):
            line = lines[k]
            if line.quoted or not (_is_delimiter(line) or _SIGNATURE_RULE.match(line.text)):
                continue
            if _header_block(lines, k + 1, need_date=False):
                continue  # a separator above a forwarded message's headers
            below = sum(1 for x in lines[k + 1 : last] if x.text)
            limit = 15 if _is_delimiter(line) else 8
            if below <= limit and any(x.text for x in islice(lines, k)):
                end = k
                break
        else:
            return end
    return end
