"""Compose: the reply as data, from a proposal, the asked counties and what retrieval finds. No I/O but the store."""
from __future__ import annotations

import datetime
import re

from .models import CountySection, Hit, Passage, Place, Proposal, Reply
from .retrieve import Facts, Settings, Where, build_query, pick, pools, weigh
from .store import Store
from .understand.flags import is_old

PLACEHOLDER = "【待补充：资料库中暂未检索到{county}与本提案相关的工作材料，请承办人补充。】"


# A source's own list number ("1. ", "（二）", "3、") is layout, not content: the draft numbers its own items.
_ENUMERATOR = re.compile(r"^\s*(?:[0-9]{1,2}[.．、]\s*|[（(][一二三四五六七八九十0-9]{1,3}[）)]\s*|[一二三四五六七八九十]{1,3}、\s*)")

# A news story's attribution ("记者近日从阳城县了解到，", "据县数据局负责人介绍，") is the paper's voice, not
# the bureau's: the reply keeps the sentence from the fact on.
LEAD_IN = re.compile(r"^(?:(?:近日|日前|近期|今年以来|[0-9]{1,2}月[0-9]{1,2}日)[，,])?(?:记者|笔者)[^，。；]{0,30}?"
                     r"(?:了解到|获悉|得知)[，,：:]|^据[^，。；]{1,24}?(?:介绍|消息|报道)[，,：:]")


def _passage(hit: Hit, place: Place | None = None) -> Passage:
    text = LEAD_IN.sub("", _ENUMERATOR.sub("", hit.text, count=1), count=1)
    if place is not None:
        # "城区：在5个社区…", a past reply's label: the draft's item already names its county.
        text = re.sub(f"^(?:{re.escape(place.full)}|{re.escape(place.short)})[：:]", "", text)
    # A progress passage belongs to the item it stands under, even when its sentence names another
    # county first ("城区、沁水县入选…" drafted for 沁水县).
    return Passage(text=text, county=place.full if place else hit.county, sources=(hit.source,), flags=hit.flags)


def compose(store: Store, proposal: Proposal, counties: list[Place], city: str,
            draft_date: datetime.date | None = None, keywords: tuple[str, ...] = (),
            settings: Settings | None = None, placeholder: str = PLACEHOLDER,
            lexicon: str | None = None) -> Reply:
    """Pick progress for each county and plans for them and the city; a county with nothing gets a placeholder."""
    draft_date = draft_date or datetime.date.today()
    settings = settings or Settings()
    query = weigh(build_query(proposal.title, keywords, lexicon), store)
    used = Facts(settings.duplicate_similarity)  # every sentence placed so far: nothing is said twice
    # One index query for every county and the city's own plans (most of its cost is fixed).
    *found, city_wide = pools(store, query, [*(Where(place) for place in counties), Where(None, ("plan",))],
                              city, settings, draft_year=draft_date.year)
    material = dict(zip(counties, found))
    # The county with least material picks first: a sentence about two counties ("城区、沁水县入选…")
    # goes to the one that needs it, and is used once.
    by_need = sorted(counties, key=lambda p: sum(len(c.text) for c in material[p]["progress"]))
    picked = {place: pick(material[place]["progress"], draft_date.year, settings, used, settings.budget)
              for place in by_need}
    sections = []
    for place in counties:
        passages = tuple(_passage(h, place) for h in picked[place]) or (
            Passage(text=placeholder.replace("{county}", place.full), county=place.full, placeholder=True),)
        sections.append(CountySection(place, passages))
    # A stale plan is no plan: one written more than `max_age` years before the draft was done or dropped
    # by now (undated plans count as current).
    def current(pool):
        return [c for c in pool if not is_old(c.year, draft_date.year, settings.max_age)]
    plans = [_passage(h) for h in pick(current(city_wide["plan"]), draft_date.year, settings, used,
                                       budget=settings.budget, max_items=settings.city_plans)]
    for place in counties:
        plans += [_passage(h) for h in pick(current(material[place]["plan"]), draft_date.year, settings, used,
                                            budget=settings.budget // 2, max_items=settings.plans_per_county)]
    return Reply(proposal=proposal, counties=tuple(sections), plans=tuple(plans),
                 date=draft_date.isoformat(), keywords=tuple(keywords))
