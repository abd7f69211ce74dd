import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    """Assertions read English messages; the Kazakh page test asks for /kk/ itself."""
    with translation.override("en"):
        yield
