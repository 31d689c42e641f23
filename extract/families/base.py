"""What every family adapter takes and gives: a listing request (a GET, or a form POST for
platforms that serve their records to a form) and what reading its answer found."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlencode

from extract.listing import ListingItem


@dataclass(frozen=True)
class ListingRequest:
    url: str
    form: tuple[tuple[str, str], ...] | None = None  # fields of a form POST; None: a GET

    @property
    def key(self) -> str:
        """One name per distinct request (a POST's fields are part of what it asks for)."""
        return self.url if self.form is None else f"{self.url} POST {urlencode(self.form)}"


def requests_for(urls: Iterable[str]) -> tuple[ListingRequest, ...]:
    """Plain GETs of listing pages linked or announced by a page."""
    return tuple(ListingRequest(u) for u in urls)


@dataclass(frozen=True)
class ListingRead:
    """What one listing answer held: its report links, the further listing requests it
    announces (in order), links refused, and the number of records the column says it has."""

    items: tuple[ListingItem, ...]
    more: tuple[ListingRequest, ...] = ()
    refused: tuple[str, ...] = ()
    total: int | None = None


class Family(Protocol):
    name: str

    def read(
        self,
        text: str,
        request: ListingRequest,
        final_url: str,
        item_xpath: str | None = None,
        next_xpath: str | None = None,
    ) -> ListingRead:
        """The answer to `request` (decoded, fetched from `final_url`) read for report links
        and further listing requests."""
        ...
