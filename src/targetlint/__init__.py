"""targetlint — 预算绩效目标表数据质量检查 (a linter for budget performance-target tables)."""

__version__ = "0.1.0"
