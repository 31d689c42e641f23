"""What the run's reading processes run (flows/readers.py): a fetched report read into a
document with its facts. Pure, and light to import: a worker imports this module and what it
needs (transform, and extract's reading of a page's layout), never the database or Prefect
(held by import-linter), so that workers start quickly.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from extract.fetch import needs_parts, read_for_layout
from extract.listing import ListingItem
from transform.assemble import document_load, longest_text
from transform.model import Document, DocumentLoad, Part


def read_report(
    page: Document,
    attachments: Sequence[Part],
    region: str,
    url: str,
    source_id: str,
    page_content: tuple[str, str],
    fetched_at: datetime,
) -> DocumentLoad:
    """A fetched report read into a document with its facts: the page, or its longest readable
    attachment when the page is thin (`page_content`: the page's url and sha256). Pure: it runs
    in the run's reading processes (flows/readers.py) when there are some."""
    doc, attachment = longest_text(page, attachments, region)
    content_url, sha = (attachment.url, attachment.sha256) if attachment else page_content
    return document_load(url, source_id, content_url, sha, fetched_at, doc)


def read_fetched(
    page: Part, item: ListingItem, region: str, encoding: str | None, source_id: str, at: datetime
) -> DocumentLoad | Document:
    """A new report's kept page read: into a document with its facts when the page is the
    whole report, else as read for its layout (its parts are fetched, then it is read with
    them: `read_report`). Pure: it runs in the run's reading processes when there are some."""
    doc = read_for_layout(page, item, region, encoding)
    if needs_parts(doc):
        return doc
    return read_report(doc, (), region, item.url, source_id, (page.url, page.sha256), at)
