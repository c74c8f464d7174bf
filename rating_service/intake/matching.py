"""Which community a ticket's address means: the place text as callers write it, normalised, matched against the
directory (official names, aliases, former names, addresses). Pure: no database, no web.

``normalise`` makes the forms people write comparable: full-width to half-width (NFKC), traditional characters to
simplified (the few that occur), common homophone slips (兰庭 for 兰亭, 园 for 苑), no punctuation, spaces or middle
dots, no province/county/town prefix (安徽省铜陵市枞阳县枞阳镇) and no building/unit/room/gate/phase tail
(3栋2单元502室, 东门, 二期). ``Matcher`` then tries, in order: the official name, an alias or former name, an
address (road + number), a known name contained in the text (the longest wins) and a fuzzy comparison. A community
is *proposed* only above the threshold and clearly ahead of the runner-up; two communities within the margin are a
*tie* (never guessed); a weaker best guess goes to *review*.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from rating_service.i18n import Lang, translate

RULES = ("exact_name", "exact_alias", "exact_former", "address", "contains_name", "contains_alias", "fuzzy_name")

# Scores per rule (0..100). Exact forms are certain; a suffix-equivalent form (山水兰亭小区 for 山水兰亭) a little less;
# containment is good when nothing else is in the text that speaks of another place; fuzzy is capped below exact.
_EXACT = {"name": 100.0, "alias": 98.0, "former": 97.0}
_SUFFIX_EQUIVALENT = 2.0  # subtracted when only the core (name without 小区/花园/苑/园/府/家园) matches
_ADDRESS = 96.0
_CONTAINS = {"name": 94.0, "alias": 93.0, "former": 92.0}
_NEARBY_PENALTY = 20.0  # "山水兰亭对面" is near the community, not in it
_FUZZY_CAP = 95.0
_FUZZY_FLOOR = 60.0  # below this a fuzzy guess is no guess at all
_MIN_CORE = 2  # shortest core (name without its suffix) usable for an exact comparison
_MIN_CONTAINED = 3  # shortest key looked for inside a longer text (电力 must not be found in 电力公司)

# Traditional -> simplified, for the characters that occur in names, addresses and requests of the county.
_TRADITIONAL = str.maketrans(dict(zip(
    "蘭園灣華書陽東門號樓單區龍鳳錦繡麗濱業興電師學鄰車橋場廣寶貴荊樂銀設長達觀連鎮縣樅銅與對側棟層戶韻雲藝豐漢馬壽軒閣庫條黃廳盧紅綠萬嶺聖鄉鋪廠燈溝澤漁臺灘衛實將傢滿緣龜廟壩頭滙匯錢楊陳張劉趙齊築暉輝彎亞湧潤務處燒氣熱價費聲噸內開關綫線壞舊遠邊裡裏後歸屬擾廢維護蓋鄭黨葉",
    "兰园湾华书阳东门号楼单区龙凤锦绣丽滨业兴电师学邻车桥场广宝贵荆乐银设长达观连镇县枞铜与对侧栋层户韵云艺丰汉马寿轩阁库条黄厅卢红绿万岭圣乡铺厂灯沟泽渔台滩卫实将家满缘龟庙坝头汇汇钱杨陈张刘赵齐筑晖辉弯亚涌润务处烧气热价费声吨内开关线线坏旧远边里里后归属扰废维护盖郑党叶",
    strict=True,
)))
# Homophone slips callers make, applied to both sides (so 锦绣华庭 and 锦绣华亭 meet in the middle).
_HOMOPHONES = str.maketrans({"庭": "亭", "婷": "亭", "苑": "园"})

_PREFIXES = ("安徽省", "安徽", "铜陵市", "铜陵", "枞阳县", "枞阳镇", "县城", "枞阳", "城关镇")
_NUM = r"(?:\d+|[一二三四五六七八九十百零〇两]+)"
_TAIL = re.compile(
    rf"(?:{_NUM}(?:号楼|#楼|#|栋|幢|座|单元|室|层|楼)|{_NUM}期|\d+-\d+-\d+|"
    r"(?:东|西|南|北|东南|东北|西南|西北|正|侧|后|前)?(?:大门|门口|门)(?:口|处|外|旁)?$).*$"
)
_PUNCT = re.compile(r"[^0-9a-z#\-\u3400-\u9fff]+")
_MARKS = re.compile(r"[#\-]+")
_ADDRESS_PATTERN = re.compile(r"([\u4e00-\u9fff]{1,8}?(?:大道|大街|路|街|巷))(\d+)")
_SUFFIXES = ("小区", "家园", "花园", "新村", "园", "府", "苑")
_NEARBY = ("对面", "附近", "旁边", "隔壁", "路口", "交叉口", "斜对面", "周边", "边上")


def _strip_prefixes(text: str) -> str:
    changed = True
    while changed and text:
        changed = False
        for prefix in _PREFIXES:
            if text.startswith(prefix) and len(text) > len(prefix):
                text = text[len(prefix):]
                changed = True
    return text


def normalise(text: str) -> str:
    """The comparable form of a name or address (see the module's description)."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = text.translate(_TRADITIONAL).translate(_HOMOPHONES)
    text = _PUNCT.sub("", text)
    text = _strip_prefixes(text)
    cut = _TAIL.search(text)
    if cut and cut.start() > 0:
        text = text[: cut.start()]
    return _MARKS.sub("", text)


def _core(normal: str) -> str:
    """The name without its generic suffix (山水兰亭小区 -> 山水兰亭, 桂花园 -> 桂花), the longest suffix first."""
    for suffix in _SUFFIXES:
        if normal.endswith(suffix) and len(normal) - len(suffix) >= _MIN_CORE:
            return normal[: -len(suffix)]
    return normal


def _cores(normal: str) -> set[str]:
    """Every form of the name without one generic suffix (桂花园 -> 桂花; 馨园小区 -> 馨园)."""
    return {normal[: -len(s)] for s in _SUFFIXES if normal.endswith(s) and len(normal) - len(s) >= _MIN_CORE}


@dataclass(frozen=True)
class Entry:
    """One way to name a community."""

    community_id: str
    text: str
    kind: str  # "name" (official) | "alias" | "former" | "address" | "town"


@dataclass(frozen=True)
class Candidate:
    community_id: str
    score: float  # 0..100
    rule: str  # machine code, see RULES; shown through rule_label


@dataclass(frozen=True)
class Match:
    status: str  # MatchStatus value: "proposed" | "review" | "tie" | "none"
    community_id: str | None
    score: float | None
    rule: str | None
    alternatives: tuple[Candidate, ...]  # best first, up to 5, the chosen one first


NO_MATCH = Match("none", None, None, None, ())
_KIND_RANK = {"name": 0, "alias": 1, "former": 2}


class Matcher:
    """The directory, indexed for matching. Build once, match many."""

    def __init__(self, entries: Iterable[Entry], *, threshold: float = 90.0, margin: float = 5.0) -> None:
        self.threshold = float(threshold)
        self.margin = float(margin)
        # normal form -> {community_id: kind}; core form -> {community_id: kind}
        self._exact: dict[str, dict[str, str]] = {}
        self._cores: dict[str, dict[str, str]] = {}
        self._addresses: dict[str, set[str]] = {}
        self._towns: set[str] = set()
        roads: set[str] = set()
        for entry in entries:
            kind = entry.kind
            normal = normalise(entry.text)
            if not normal:
                continue
            if kind == "town":
                self._towns.add(normal)
                continue
            if kind == "address":
                for road, number in _split_address(normal):
                    self._addresses.setdefault(f"{road}{number}", set()).add(entry.community_id)
                    roads.add(road)
                continue
            if kind not in _KIND_RANK:
                continue
            _keep_best(self._exact.setdefault(normal, {}), entry.community_id, kind)
            for core in _cores(normal):
                _keep_best(self._cores.setdefault(core, {}), entry.community_id, kind)
        # Keys looked for inside longer texts: full forms and cores long enough not to occur by chance.
        self._contained: dict[str, dict[str, str]] = {}
        for table in (self._exact, self._cores):
            for key, owners in table.items():
                if len(key) >= _MIN_CONTAINED:
                    for community_id, kind in owners.items():
                        _keep_best(self._contained.setdefault(key, {}), community_id, kind)
        self._lengths = sorted({len(k) for k in self._contained}, reverse=True)
        self._road_pattern = (
            re.compile(rf"({'|'.join(sorted(map(re.escape, roads), key=len, reverse=True))})(\d+)(?:号|$)")
            if roads else None
        )
        self._fuzzy_keys: list[str] = []
        self._fuzzy_owners: list[dict[str, str]] = []
        for table in (self._exact, self._cores):
            for form, owners in table.items():
                self._fuzzy_keys.append(form)
                self._fuzzy_owners.append(owners)
        self._cache: dict[str, Match] = {}

    # -- public ------------------------------------------------------------------------------------------------
    def match(self, text: str) -> Match:
        normal = normalise(text)
        found = self._cache.get(normal)
        if found is None:
            found = self._decide(self._candidates(normal))
            if len(self._cache) < 500_000:
                self._cache[normal] = found
        return found

    def match_many(self, texts: Sequence[str]) -> list[Match]:
        return [self.match(text) for text in texts]

    # -- rules -------------------------------------------------------------------------------------------------
    def _candidates(self, normal: str) -> dict[str, Candidate]:
        best: dict[str, Candidate] = {}
        if not normal:
            return best
        for town in self._towns:
            if normal.startswith(town) and len(normal) > len(town):
                normal = normal[len(town):]
        # 1-2. exact official name, alias, former name (the full form, then the form without suffix)
        owners = self._exact.get(normal)
        if owners:
            for community_id, kind in owners.items():
                _offer(best, community_id, _EXACT[kind], _exact_rule(kind))
            return best
        for form in (normal, *_cores(normal)):
            for table in (self._exact, self._cores):
                for community_id, kind in table.get(form, {}).items():
                    _offer(best, community_id, _EXACT[kind] - _SUFFIX_EQUIVALENT, _exact_rule(kind))
        if best:
            return best
        # 3. address: a known road and its number
        rest = normal
        if self._road_pattern is not None:
            for found in self._road_pattern.finditer(normal):
                for community_id in self._addresses.get(f"{found.group(1)}{found.group(2)}", ()):
                    _offer(best, community_id, _ADDRESS, "address")
            rest = self._road_pattern.sub("", normal)
        # 4. a known name inside the text: the longest wins; names overlapping a longer one do not count
        nearby = any(word in normal for word in _NEARBY)
        spans = self._contained_spans(normal)
        if spans:
            longest = max(end - start for start, end, _ in spans)
            for start, end, owners in spans:
                if end - start < longest and any(
                    s <= start and end <= e and (e - s) > (end - start) for s, e, _ in spans
                ):
                    continue
                shorter = longest - (end - start)
                for community_id, kind in owners.items():
                    score = _CONTAINS[kind] - 3.0 * shorter - (_NEARBY_PENALTY if nearby else 0.0)
                    _offer(best, community_id, score, _contains_rule(kind))
        if best:
            return best
        # 5. fuzzy: the text (without its road and number) against every name and its cores
        query = rest
        if len(query) >= _MIN_CORE and self._fuzzy_keys:
            for _key, score, index in process.extract(
                query, self._fuzzy_keys, scorer=fuzz.ratio, limit=8, score_cutoff=_FUZZY_FLOOR
            ):
                score = min(float(score), _FUZZY_CAP) - (_NEARBY_PENALTY if nearby else 0.0)
                for community_id in self._fuzzy_owners[index]:
                    _offer(best, community_id, score, "fuzzy_name")
        return best

    def _contained_spans(self, normal: str) -> list[tuple[int, int, dict[str, str]]]:
        spans = []
        size = len(normal)
        for length in self._lengths:
            if length > size:
                continue
            for start in range(size - length + 1):
                owners = self._contained.get(normal[start:start + length])
                if owners:
                    spans.append((start, start + length, owners))
        return spans

    def _decide(self, best: dict[str, Candidate]) -> Match:
        if not best:
            return NO_MATCH
        ranked = sorted(best.values(), key=lambda c: (-c.score, RULES.index(c.rule), c.community_id))
        ranked = [c for c in ranked if c.score > 0][:5]
        if not ranked:
            return NO_MATCH
        top = ranked[0]
        alternatives = tuple(ranked)
        if top.score < self.threshold:
            return Match("review", top.community_id, top.score, top.rule, alternatives)
        if len(ranked) > 1 and top.score - ranked[1].score < self.margin:
            return Match("tie", None, top.score, top.rule, alternatives)
        return Match("proposed", top.community_id, top.score, top.rule, alternatives)


def _split_address(normal: str) -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in _ADDRESS_PATTERN.finditer(normal)]


def _keep_best(owners: dict[str, str], community_id: str, kind: str) -> None:
    current = owners.get(community_id)
    if current is None or _KIND_RANK[kind] < _KIND_RANK[current]:
        owners[community_id] = kind


def _offer(best: dict[str, Candidate], community_id: str, score: float, rule: str) -> None:
    score = round(max(0.0, min(100.0, score)), 1)
    current = best.get(community_id)
    if current is None or score > current.score:
        best[community_id] = Candidate(community_id, score, rule)


def _exact_rule(kind: str) -> str:
    return {"name": "exact_name", "alias": "exact_alias", "former": "exact_former"}[kind]


def _contains_rule(kind: str) -> str:
    return "contains_name" if kind == "name" else "contains_alias"


def rule_label(rule: str, lang: Lang = "zh") -> str:
    """The rule in words (catalogue entry ``match_rule.<rule>``)."""
    return translate(f"match_rule.{rule}", lang)
