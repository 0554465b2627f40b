"""Feed export of the spider's items (`scrapy crawl reports -O items.jl`) with document bytes digested.

Items carry the documents' bytes for the evidence pipelines; JSON cannot hold bytes, and a feed is for
reading and asserting on, so each `body` becomes {"sha256": …, "size": …}.
"""

from __future__ import annotations

import hashlib
from typing import Any

from scrapy.exporters import JsonLinesItemExporter
from scrapy.utils.serialize import ScrapyJSONEncoder


class DigestEncoder(ScrapyJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, (bytes, bytearray)):
            return {"sha256": hashlib.sha256(o).hexdigest(), "size": len(o)}
        return super().default(o)


class DigestJsonLinesExporter(JsonLinesItemExporter):
    def __init__(self, file: Any, **kwargs: Any) -> None:
        super().__init__(file, **kwargs)
        self.encoder = DigestEncoder(ensure_ascii=False)
