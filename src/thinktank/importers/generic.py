"""Any other think tank's dump: title first, byline after it or at the end, numbered notes."""

from .profile import Profile

PROFILE = Profile(name="generic", byline="either", run_in_headings=True)
