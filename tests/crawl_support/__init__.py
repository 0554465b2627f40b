"""Test support for the crawl tests: a ground-truth probe spider and helpers to run crawls in subprocesses."""
