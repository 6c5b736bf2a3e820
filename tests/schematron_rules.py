"""Run the ISO Schematron rules embedded in a RELAX NG schema (tei_all.rng), which jing skips.

jing runs only the grammar; tei_all's constraints on co-occurring attributes and values (a
`<link>` needs two pointers, a `<ptr>` may not have both @target and @cRef …) are Schematron
with the XSLT 2 query binding. lxml's ISO Schematron is XSLT 1 and cannot compile them, and
Debian has Saxon-HE but no XSLT 2 Schematron skeleton. So each rule is run here as one XPath 3
expression with elementpath, keeping Schematron's semantics: a rule's context is an XSLT
pattern (a node matched by an earlier rule of the same pattern is not matched again), its
`sch:let`s are bound on the context node, `current()` is that node, an assert fails when its
test is false and a report when it is true.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from elementpath import XPathContext, get_node_tree
from elementpath.xpath3 import XPath3Parser
from elementpath.xpath_nodes import DocumentNode, ElementNode
from elementpath.xpath_tokens import XPathToken
from lxml import etree

SCH = "http://purl.oclc.org/dsdl/schematron"
_S = f"{{{SCH}}}"


@dataclass(frozen=True)
class Check:
    """One sch:assert or sch:report of a rule, with where it comes from in the schema."""

    pattern: str  # the sch:pattern's @id in the schema (or its rule's context when it has none)
    line: int  # the line of the assert or report in the schema
    context: str  # the rule's @context, an XSLT pattern
    earlier: tuple[str, ...]  # contexts of the pattern's earlier rules: their nodes are theirs
    lets: tuple[tuple[str, str], ...]  # the rule's sch:let name and value, in order
    test: str
    is_assert: bool
    message: str

    def expression(self) -> str:
        """An XPath 3 expression giving the context nodes this check fails on."""
        nodes = f"//({self.context})" + "".join(f" except //({c})" for c in self.earlier)
        lets = "".join(f"let ${name} := ({value}) return " for name, value in self.lets)
        test = self.test.replace("current()", "$current")
        verdict = f"if ({test}) then () else ." if self.is_assert else f"if ({test}) then . else ()"
        return f"for $current in {nodes} return $current ! ({lets.replace('current()', '$current')}{verdict})"


@dataclass(frozen=True)
class Rules:
    """The Schematron of one schema: its namespaces, its checks and their compiled expressions."""

    namespaces: dict[str, str]
    checks: tuple[Check, ...]
    contexts: tuple[XPathToken, ...]  # each check's rule context, `//(CONTEXT)`
    tests: tuple[XPathToken, ...]  # each check's `Check.expression()`

    def run(self, path: Path) -> tuple[list[str], set[str]]:
        """`FILE:LINE: <element>: PATTERN (schema line N): message` for every node of the file that breaks a check,
        and the patterns whose rule context matches a node of the file (the rules it is held to)."""
        tree = get_node_tree(etree.parse(str(path)), self.namespaces)
        failures, applying = [], set()
        for check, context, test in zip(self.checks, self.contexts, self.tests, strict=True):
            if not _sequence(context, tree):
                continue
            applying.add(check.pattern)
            for node in _sequence(test, tree):
                where = f"{node.sourceline}: <{etree.QName(node).localname}>" if isinstance(node, etree._Element) else f"?: {node}"
                failures.append(f"{path}:{where}: {check.pattern} (schema line {check.line}): {check.message}")
        return failures, applying


def _sequence(token: XPathToken, tree: DocumentNode | ElementNode) -> list[object]:
    """An expression's result on a document, as a sequence (a lone item is a sequence of one)."""
    result = token.get_results(XPathContext(tree))
    return list(result) if isinstance(result, list) else [result]


def rules(schema: Path) -> Rules:
    """Every sch:assert and sch:report embedded in `schema`, with its sch:ns namespaces, compiled."""
    root = etree.parse(str(schema)).getroot()
    unsupported = root.xpath("//sch:include | //sch:phase | //sch:rule[@abstract] | //sch:extends", namespaces={"sch": SCH})
    if unsupported:
        raise ValueError(f"{schema}:{unsupported[0].sourceline}: this runner has no sch:include, phase or abstract rules")
    namespaces = {ns.get("prefix", ""): ns.get("uri", "") for ns in root.iter(_S + "ns")}
    found = []
    for pattern in root.iter(_S + "pattern"):
        earlier: list[str] = []
        for rule in pattern.iter(_S + "rule"):
            context = rule.get("context", "")
            lets = tuple((let.get("name", ""), let.get("value", "")) for let in rule.iterfind(_S + "let"))
            for node in rule.iterchildren(_S + "assert", _S + "report"):
                found.append(Check(
                    pattern.get("id") or context, node.sourceline or 0, context, tuple(earlier), lets,
                    node.get("test", ""), node.tag == _S + "assert", " ".join("".join(node.itertext()).split()),
                ))
            earlier.append(context)
    parser = XPath3Parser(namespaces=namespaces)
    return Rules(namespaces, tuple(found), tuple(parser.parse(f"//({c.context})") for c in found),
                 tuple(parser.parse(c.expression()) for c in found))
