"""The app's settings plus the bench's own floor view (bench/floor.py); used only by load_bench.py."""

from sop_iku.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bench_urls"
