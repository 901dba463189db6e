import pytest


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    """Uploads wait in a folder of the test's own."""
    settings.IMPORT_UPLOAD_DIR = tmp_path / "uploads"
    return settings.IMPORT_UPLOAD_DIR
