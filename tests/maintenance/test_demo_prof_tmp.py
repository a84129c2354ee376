import cProfile
import pstats

import pytest

from houqin.demo import loader, maintenance

pytestmark = pytest.mark.django_db
def test_time(db):
    orig = maintenance.load
    prof = cProfile.Profile()
    def timed(schools):
        prof.enable(); n = orig(schools); prof.disable(); return n
    loader.maintenance.load = timed
    loader.load_demo()
    st = pstats.Stats(prof); st.sort_stats("tottime").print_stats(25)
