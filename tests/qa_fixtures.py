"""Small three-version documents for the QA and score tests: clean rows, linked row by row."""

from __future__ import annotations

from aligner.corpus.model import Alignment, Document, Link, Paragraph, ParallelText, Sentence

# Clean sentences: every check must stay silent on them.
CLEAN = [
    ("The UN Security Council Resolution 2094 was issued in response to the third nuclear test.",
     "针对第三次核试验，联合国安理会通过了第2094号决议。", "針對第三次核試驗，聯合國安理會通過了第2094號決議。"),
    ("The U.S. relies more on sticks and prefers to exert sanctions on the country.",
     "美国更多依赖“大棒”，偏好对该国施加制裁。", "美國更多依賴「大棒」，偏好對該國施加制裁。"),
    ("Early in 2011, the secretary warned that the missile could reach the mainland in five years.",
     "早在2011年初，部长就曾警告导弹可能在五年内打到本土。", "早在2011年初，部長就曾警告飛彈可能在五年內打到本土。"),
    ("The question is why the two countries worked together to impose the sanction?",
     "问题在于，两国为何携手实施制裁？", "問題在於，兩國為何攜手實施制裁？"),
    ("Exports grew by 5 percent on 12 March 2013, reaching $5 million.",
     "2013年3月12日，出口增长了百分之五，达到500万美元。", "2013年3月12日，出口增長了百分之五，達到500萬美元。"),
    ("Both sides need close cooperation on the implementation of the resolution in the region.",
     "双方需要在落实该决议方面密切合作。", "雙方需要在落實該決議方面密切合作。"),
    ("China has to do more on export control and monitoring cross-border trade with the country.",
     "中国须在出口管制和边境贸易监控方面做更多工作。", "中國須在出口管制和邊境貿易監控方面做更多工作。"),
    ("The risk of an accidental military clash with the neighbours is increasing every day now.",
     "与邻国发生意外军事冲突的风险正与日俱增。", "與鄰國發生意外軍事衝突的風險正與日俱增。"),
    ("The software was launched after the rocket launch, they said.",
     "他们说，该软件在火箭发射后推出。", "他們說，該軟體在火箭發射後推出。"),
    ("The date was 二〇一三年三月十二日 in the original, March 12, 2013.",
     "原文日期为二〇一三年三月十二日。", "原文日期為二〇一三年三月十二日。"),
]

# Clean technical prose: product names, acronyms, codes and URLs kept in the Chinese text, and
# abbreviations a translator writes out (Q1 第一季度, CEO 首席执行官 and Taiwan's 執行長, NT$ 新台币).
TECH = [
    ("Nvidia's H100 GPU remains in short supply, according to a report by TrendForce.",
     "据TrendForce的报告，Nvidia的H100 GPU仍然供不应求。", "據TrendForce的報告，Nvidia的H100 GPU仍然供不應求。"),
    ("More information is available at https://example.org/rules.",
     "更多信息请访问https://example.org/rules。", "更多資訊請訪問https://example.org/rules。"),
    ("See https://www.example.com/news for details.",
     "详情请见https://www.example.com/news。", "詳情請見https://www.example.com/news。"),
    ("The CEO said prices rose 20% in Q1 2024; the plan costs NT$2.3 billion.",
     "首席执行官说，2024年第一季度价格上涨了20%；该计划耗资23亿新台币。", "執行長說，2024年第一季價格上漲了20%；該計畫耗資新臺幣23億元。"),
]


def parallel(rows: list[tuple[str, str, str]], confidence: dict[int, float] | None = None, doc_id: str = "doc") -> ParallelText:
    """A one-paragraph document per language, linked row by row; an empty text is an omission."""
    confidence = confidence or {}
    langs = ("en", "zh-Hans", "zh-Hant")
    versions, ids = {}, {}
    for k, lang in enumerate(langs):
        sents = [(f"{lang}.s{n}", row[k]) for n, row in enumerate(rows) if row[k]]
        ids[lang] = {n: f"{lang}.s{n}" for n, row in enumerate(rows) if row[k]}
        versions[lang] = Document(doc_id, lang, (Paragraph(f"{lang}.p1", tuple(Sentence(i, t) for i, t in sents)),))
    alignments = []
    for a, b in (("en", "zh-Hans"), ("en", "zh-Hant"), ("zh-Hans", "zh-Hant")):
        links = tuple(
            Link(tuple(filter(None, [ids[a].get(n)])), tuple(filter(None, [ids[b].get(n)])), confidence.get(n, 0.9))
            for n in range(len(rows))
        )
        alignments.append(Alignment(a, b, links))
    return ParallelText(doc_id, versions, tuple(alignments))
