"""Exports too big to wait for: prepared in the background, then downloaded from "My exports".

A list or report with more rows than ``HOUQIN_EXPORT_INLINE_ROWS`` is not built while the
browser waits. ``services.offload`` records an ``ExportFile`` (who asked, the page's address
with its filters, the school chosen in the switcher, the language) and queues it. The job
consumer then calls the same view again as that person, so the file has exactly the page's
columns, filters and scope, and the person's permissions are checked once more when it runs.
The file is kept for ``HOUQIN_EXPORT_KEEP_DAYS`` days and only its owner can download it.
"""
