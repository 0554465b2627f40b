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

# ---------------------------------------------------------------- evidence side (items → WARC + store)
ITEM_PIPELINES = {"crawlers.pipelines.EvidencePipeline": 300}
EXTENSIONS = {
    "crawlers.resume.JobdirGuard": 0,  # must judge the JOBDIR before the scheduler reads it
    "crawlers.warc.WarcExtension": 100,
}
DOWNLOADER_MIDDLEWARES = {
    "crawlers.middlewares.FailureMiddleware": 10,  # outermost: sees final outcomes, after retries
    "crawlers.guard.OffsiteGuardMiddleware": 20,  # before robots.txt: never fetch an offsite robots.txt
    "crawlers.budget.PageBudgetMiddleware": 25,  # counted as requests leave the priority queue
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawlers.middlewares.SafeRobotsTxtMiddleware": 100,  # fixes concurrent waiters being let through
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawlers.middlewares.BackoffRetryMiddleware": 550,
    "crawlers.middlewares.RedirectLoopMiddleware": 601,
    "scrapy.downloadermiddlewares.httpcache.HttpCacheMiddleware": None,
    "crawlers.resume.ReplayCacheMiddleware": 900,  # only with JOBDIR
    "crawlers.revalidate.RecheckCacheMiddleware": 905,  # only with NIANBAO_RECHECK_CACHE_DIR: conditional GETs
}
SPIDER_MIDDLEWARES = {"crawlers.middlewares.TrapBoundMiddleware": 850}

NIANBAO_DB = "data/monitor.db"  # the spider's `db` argument or -s NIANBAO_DB=… override it
NIANBAO_WARC_DIR = None  # default: warc/ beside the database
NIANBAO_ALLOWED_HOSTS: list[str] = []  # extra host[:port] of the region (a files host, a gk subdomain)
NIANBAO_CHECK_WORKERS = 2  # threads extracting and checking documents off the event loop
NIANBAO_WORD_WORKERS = 8  # threads reading .doc/.wps: they wait for LibreOffice, which converts their files together
NIANBAO_PROGRESS_INTERVAL = 5.0  # seconds between progress log lines

# Politeness: few requests per host, AutoThrottle keeps about 3 in flight and slows down with the server.
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 10.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 3.0
DOWNLOAD_DELAY = 0.0  # AutoThrottle's floor
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 50 * 1024 * 1024  # larger files fail as too_large (the extractor's limit too)
DOWNLOAD_WARNSIZE = 20 * 1024 * 1024

# Faults: retry transient failures with exponential backoff (crawlers.middlewares.BackoffRetryMiddleware).
RETRY_TIMES = 3
RETRY_GIVE_UP_LOG_LEVEL = "WARNING"
NIANBAO_RETRY_BACKOFF_BASE = 1.0  # seconds before the first retry; doubles each time
NIANBAO_RETRY_BACKOFF_MAX = 30.0
REDIRECT_MAX_TIMES = 10

# How far the walk goes (crawlers/frontier.py, crawlers/budget.py): every in-scope link is a candidate, ranked by
# its words; the budget bounds the requests that walk the site (not reports and files), the depth limit the
# navigation below the portal, the stray limit the hops through labels whose words say nothing.
NIANBAO_PAGE_BUDGET = 5000
NIANBAO_DEPTH_LIMIT = 12
NIANBAO_STRAY_LIMIT = 3

# Crawl traps: per-pattern bounds (crawlers.middlewares.TrapBoundMiddleware).  Scrapy's own DEPTH_LIMIT would count
# every page of a list paged one call at a time and silently drop the rest: the frontier's limits apply instead.
DEPTH_LIMIT = 0
NIANBAO_MAX_QUERY_LENGTH = 512
NIANBAO_QUERY_VARIANT_CAP = 100
NIANBAO_PATTERN_CAP = 2000

# ---------------------------------------------------------------- discovery side (crawlers/spiders/reports.py)
# Browser rendering, only for requests marked meta={"playwright": True} (a 年报 list whose links only its
# scripts build); every other request goes through Scrapy's own HTTP handler, and scrapy-playwright is
# started at the first page to render (crawlers/browser_handler.py).  The browser is Debian's chromium
# package (Playwright's own browser download cannot reach the network here).
DOWNLOAD_HANDLERS = {
    "http": "crawlers.browser_handler.OnDemandPlaywrightDownloadHandler",
    "https": "crawlers.browser_handler.OnDemandPlaywrightDownloadHandler",
}
PLAYWRIGHT_BROWSER_TYPE = "chromium"
PLAYWRIGHT_LAUNCH_OPTIONS = {
    "executable_path": "/usr/bin/chromium",
    "headless": True,
    "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
             "--no-first-run", "--disable-sync"],
}
PLAYWRIGHT_MAX_CONTEXTS = 1
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 4
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 30_000
# `-O items.jl`: document bytes are written as their sha256 and size (crawlers/discovery_feed.py).
FEED_EXPORTERS = {
    "jsonlines": "crawlers.discovery_feed.DigestJsonLinesExporter",
    "jl": "crawlers.discovery_feed.DigestJsonLinesExporter",
}
