"""A report's parts read into one Document, and that Document with its facts, ready to load.

A report reaches us as a page (or a file the listing links to directly), sometimes continued
over further pages, sometimes with its text only in attached files. The crawl fetches the
parts (extract/fetch.py); these functions read them: the page, its further pages joined in
order into one text, and, when the page itself is thin, the longest readable attachment.
The same functions read the raw zone again when `reprocess` replaces the facts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime

from transform.documents import UnreadableDocument, read_document
from transform.facts import extract_facts
from transform.metadata import region_from_name
from transform.model import Document, DocumentLoad, Part

EXTRACTION_BUDGET_SECONDS = 60.0  # per document; a report takes well under one
MAX_FACTS_PER_DOCUMENT = 5_000  # a report states hundreds; more is a table dump or an attack
THIN_PAGE_CHARS = 800  # a page with less text than this is read from its attachments
TEXT_CONTENT_TYPE = "text/plain; charset=utf-8"  # how an article's joined pages are kept
JOINED_PAGES = "#pages"  # suffix of the content URL under which the joined text is kept


def read_page(
    data: bytes,
    url: str,
    content_type: str | None,
    region: str,
    title: str | None,
    listed: date | str | None,
    encoding: str | None = None,
) -> Document:
    """A report's page (or a file linked directly from the listing) as a Document; the listing's
    title and date, and the source's region and encoding, stand in for what the page does not
    say (or says wrongly)."""
    return read_document(
        data,
        name=url,
        content_type=content_type,
        base_url=url,
        fallback_region=region,
        fallback_title=title,
        fallback_date=str(listed) if listed else None,
        encoding=encoding,
    )


def read_attachment(
    page: Document, data: bytes, url: str, content_type: str | None, region: str
) -> Document:
    """The report's text from a file its page links to, with the page's title, date, publisher
    and attachment list."""
    doc = read_document(
        data, name=url, content_type=content_type, fallback_region=region, known=page
    )
    return replace(doc, attachments=page.attachments)


def join_pages(
    first: Document, pages: Sequence[Part], url: str, region: str, encoding: str | None = None
) -> tuple[Document, str, bytes]:
    """An article split over several pages (`first` read from `url`) read as one document: the
    pages' texts in order. Returns the document, the URL its text is kept under and that text as
    UTF-8 (kept in the raw zone, so that `reprocess` reads exactly what the crawl read)."""
    texts = [first.text]
    texts += [
        read_page(p.body, p.url, p.content_type, region, None, None, encoding).text for p in pages
    ]
    joined = "\n".join(texts).encode("utf-8")
    content_url = url + JOINED_PAGES
    return (
        read_attachment(first, joined, content_url, TEXT_CONTENT_TYPE, region),
        content_url,
        joined,
    )


def is_thin(doc: Document) -> bool:
    """The page holds too little text to be the report itself (its text is in attachments)."""
    return len(doc.text) < THIN_PAGE_CHARS


def longest_text(
    page: Document, attachments: Sequence[Part], region: str
) -> tuple[Document, Part | None]:
    """The page or the attachment whose text is longest (the attachment that won, or None for
    the page). An attachment that cannot be read raises UnreadableDocument."""
    best, chosen = page, None
    for part in attachments:
        doc = read_attachment(page, part.body, part.url, part.content_type, region)
        if len(doc.text) > len(best.text):
            best, chosen = doc, part
    return best, chosen


def document_load(
    url: str,
    source_id: str,
    content_url: str,
    content_sha: str,
    fetched_at: datetime,
    doc: Document,
    max_facts: int = MAX_FACTS_PER_DOCUMENT,
) -> DocumentLoad:
    """A read report with its facts and the regions they name, ready for the warehouse. A
    document whose extraction overruns its time budget, or that states more than `max_facts`,
    raises UnreadableDocument: it is failed with that reason (flagged), not loaded."""
    facts = tuple(extract_facts(doc, budget_seconds=EXTRACTION_BUDGET_SECONDS))
    if len(facts) > max_facts:
        raise UnreadableDocument(
            f"{len(facts)} facts in one document (limit {max_facts}): flagged, not loaded"
        )
    named = {f.region for f in facts if f.region}
    if doc.region is not None:
        named.discard(doc.region.name)
    return DocumentLoad(
        url=url,
        source_id=source_id,
        content_url=content_url,
        sha256=content_sha,
        fetched_at=fetched_at,
        document=doc,
        facts=facts,
        fact_regions=tuple(region_from_name(name) for name in sorted(named)),
    )
