"""Operating the tracker: readiness (what /readyz and `tracker check` report), retention."""
