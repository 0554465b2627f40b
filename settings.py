"""Scrapy settings of the nianbao crawler (scrapy.cfg points here).

Politeness first: these are government sites that answer slowly; we crawl per host with few concurrent
requests and AutoThrottle, obey robots.txt by default (a disallow becomes a finding about the site), and
retry transient failures with backoff.  Browser rendering (scrapy-playwright, Debian's chromium) is only
used for requests marked meta={"playwright": True}.
"""

BOT_NAME = "nianbao"
SPIDER_MODULES = ["crawlers.spiders"]
NEWSPIDER_MODULE = "crawlers.spiders"

# Scrapy 2.19 turns on a remote-control HTTP server that executes code: never in our crawls.
REMOTE_CONTROL_ENABLED = False
TELNETCONSOLE_ENABLED = False

ROBOTSTXT_OBEY = True
USER_AGENT = "nianbao/0.1 (+annual-report compliance monitor)"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
