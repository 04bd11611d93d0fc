"""kspo-sheets: keeps a Thai province's Pracharat programme registers honest."""

__version__ = "0.1.0"
