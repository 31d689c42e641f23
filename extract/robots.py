"""robots.txt rules, read by Protego (the parser Scrapy uses): wildcards and `$` anchors
(`Disallow: /*.pdf$`), percent-encoded paths (`Disallow: /zwgk/%E6%8A%A5%E5%91%8A/` also
stops `/zwgk/报告/`), the most specific user-agent group, longest match, and Crawl-delay.

A robots.txt that cannot be read (a server error, a refused connection) keeps the crawler away
from the host for the run, and says why; a missing one (4xx) allows everything.
"""

from __future__ import annotations

from dataclasses import dataclass

from protego import Protego


@dataclass(frozen=True)
class RobotsRules:
    parsed: Protego | None = None
    agent: str = "*"
    unreadable: str | None = None  # why robots.txt could not be read: stay away this run

    @property
    def disallow_all(self) -> bool:
        return self.unreadable is not None

    def allows(self, url: str) -> bool:
        if self.unreadable is not None:
            return False
        return self.parsed is None or bool(self.parsed.can_fetch(url, self.agent))

    def refusal(self, url: str) -> str | None:
        """Why `url` may not be fetched, or None."""
        if self.unreadable is not None:
            return (
                f"refused: robots.txt could not be read ({self.unreadable}); not fetched this run"
            )
        return None if self.allows(url) else "refused: disallowed by robots.txt"

    @property
    def crawl_delay(self) -> float | None:
        """The site's Crawl-delay for our agent, in seconds (a floor under the source's own)."""
        if self.parsed is None:
            return None
        delay = self.parsed.crawl_delay(self.agent)
        return float(delay) if delay is not None else None


def parse_robots(text: str, agent: str) -> RobotsRules:
    """The rules of robots.txt `text` for `agent` (a product token such as `govreports`)."""
    return RobotsRules(Protego.parse(text), agent)


def unreadable_robots(reason: str) -> RobotsRules:
    return RobotsRules(unreadable=reason)
