"""Number formats as Chinese offices write figures in tables (FORMAT_MODULE_PATH)."""
