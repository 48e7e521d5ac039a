"""The portal shows the domain apps together, so its tests use both apps' fixtures."""

from tests.consultation.conftest import *  # noqa: F403
from tests.governance.conftest import *  # noqa: F403
