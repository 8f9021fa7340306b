## runtime/local.mk -- filled in by its area.
