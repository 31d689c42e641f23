"""robots.txt rules with the wildcards real sites use (`Disallow: /*.pdf$`), which the standard
library's parser does not understand. Longest matching rule wins; Allow wins a tie."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import unquote, urlsplit


@dataclass(frozen=True)
class Rule:
    allow: bool
    pattern: str

    @cached_property
    def regex(self) -> re.Pattern[str]:
        body = re.escape(self.pattern).replace(r"\*", ".*")
        if body.endswith(r"\$"):
            body = body[:-2] + "$"
        return re.compile(body)


@dataclass(frozen=True)
class RobotsRules:
    rules: tuple[Rule, ...] = ()
    disallow_all: bool = False  # robots.txt could not be read (server error): stay away for now

    def allows(self, url: str) -> bool:
        if self.disallow_all:
            return False
        parts = urlsplit(url)
        path = unquote(parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        matching = [r for r in self.rules if r.pattern and r.regex.match(path)]
        if not matching:
            return True
        return max(matching, key=lambda r: (len(r.pattern), r.allow)).allow


def parse_robots(text: str, agent: str) -> RobotsRules:
    """Rules of the most specific group for `agent` (a product token such as `govreports`)."""
    groups: list[tuple[list[str], list[Rule]]] = []
    agents: list[str] = []
    rules: list[Rule] = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        key, value = (part.strip() for part in line.split(":", 1))
        key = key.lower()
        if key == "user-agent":
            if rules:  # a new group starts
                groups.append((agents, rules))
                agents, rules = [], []
            agents.append(value.lower())
        elif key in ("allow", "disallow") and agents:
            rules.append(Rule(key == "allow", value))
    if agents:
        groups.append((agents, rules))
    agent = agent.lower()
    mine = [r for names, rs in groups if any(n != "*" and n in agent for n in names) for r in rs]
    if mine:
        return RobotsRules(tuple(mine))
    return RobotsRules(tuple(r for names, rs in groups if "*" in names for r in rs))
