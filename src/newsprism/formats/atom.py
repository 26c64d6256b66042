"""Alerts of ``newsprism watch`` as an Atom feed (RFC 4287), for any feed reader."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from newsprism import __version__
from newsprism.store.base import Alert

ATOM = "http://www.w3.org/2005/Atom"


def alerts_to_atom(
    alerts: Sequence[Alert], *, title: str, feed_url: str, site_url: str, feed_id: str
) -> str:
    """The alerts, newest first, as an Atom document. Every text goes through ElementTree,
    which escapes it: a headline from an article cannot add markup to the feed."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    ET.SubElement(feed, f"{{{ATOM}}}id").text = feed_id
    updated = max((a.at for a in alerts), default=datetime(1970, 1, 1, tzinfo=UTC))
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = updated.isoformat()
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=feed_url)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", href=site_url)
    ET.SubElement(feed, f"{{{ATOM}}}generator", version=__version__).text = "newsprism"
    for a in alerts:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}title").text = a.title
        ET.SubElement(entry, f"{{{ATOM}}}id").text = f"{feed_id}:alert:{a.seq}"
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = a.at.isoformat()
        ET.SubElement(entry, f"{{{ATOM}}}category", term=a.kind)
        path = str(a.payload.get("path") or f"/stories/{a.story_id}")
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=site_url.rstrip("/") + path)
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = a.summary
        author = ET.SubElement(entry, f"{{{ATOM}}}author")
        ET.SubElement(author, f"{{{ATOM}}}name").text = "newsprism watch"
    body: str = ET.tostring(feed, encoding="unicode")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n"
