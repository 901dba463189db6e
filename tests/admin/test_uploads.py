import io
import stat
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.curation.uploads import UploadError, UploadLimits, extract_uploads, safe_member_path

URL = reverse("admin:articles_importrun_upload")
POST = b'---\ntitle: "\xe6\xb5\x8b\xe8\xaf\x95"\ndate: 2022-07-07T15:04:00.000Z\n---\n<p>hi</p>\n'


def zip_upload(members, name="site.zip", symlinks=()):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
        for member in symlinks:
            info = zipfile.ZipInfo(member)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, "/etc/passwd")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/zip")


@pytest.mark.parametrize("name", ["../evil.md", "/etc/passwd", "a/../../b.md", "C:/x.md", "..\\x.md"])
def test_escaping_paths_are_refused(name):
    with pytest.raises(UploadError):
        safe_member_path(name)


def test_zip_is_extracted_with_its_folders(tmp_path):
    upload = zip_upload({"_posts/2022-07-07-a.md": POST, "_drafts/b.md": POST, "__MACOSX/._a.md": b"x"})
    assert extract_uploads([upload], tmp_path) == 2
    assert (tmp_path / "_posts" / "2022-07-07-a.md").read_bytes() == POST


@pytest.mark.parametrize(
    ("members", "symlinks", "message"),
    [
        ({"../../etc/cron.d/x.md": POST}, (), "'..'"),
        ({"/abs.md": POST}, (), "absolute"),
        ({}, ("_posts/link.md",), "symbolic link"),
        ({"bomb.md": b"0" * (3 * 1024 * 1024)}, (), "zip bomb"),
    ],
)
def test_bad_zips_are_refused_with_a_reason(tmp_path, members, symlinks, message):
    with pytest.raises(UploadError, match=message) as error:
        extract_uploads([zip_upload(members, symlinks=symlinks)], tmp_path)
    assert "site.zip" in str(error.value)
    assert not any(tmp_path.rglob("*.md"))


def test_limits_on_count_and_total_size(tmp_path):
    limits = UploadLimits(max_files=2, max_total_bytes=1000, max_file_bytes=1000)
    with pytest.raises(UploadError, match="at most 2"):
        extract_uploads([zip_upload({f"{i}.md": POST for i in range(3)})], tmp_path / "a", limits)
    with pytest.raises(UploadError, match="limit"):
        extract_uploads([SimpleUploadedFile("big.md", b"x" * 2000)], tmp_path / "b", limits)


def test_lying_zip_sizes_are_caught_while_extracting(tmp_path):
    upload = zip_upload({"a.md": b"y" * 5000})
    data = bytearray(upload.read())
    # Declare 10 bytes in both the local header and the central directory; the data inflates to 5000.
    central = data.rfind(b"PK\x01\x02")
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")
    data[22:26] = (10).to_bytes(4, "little")
    with pytest.raises(UploadError):
        extract_uploads([SimpleUploadedFile("liar.zip", bytes(data))], tmp_path)


def test_other_files_and_broken_zips_are_refused(tmp_path):
    with pytest.raises(UploadError, match="evil.exe: not a post file"):
        extract_uploads([SimpleUploadedFile("evil.exe", b"MZ")], tmp_path)
    with pytest.raises(UploadError, match="broken.zip: not a readable .zip"):
        extract_uploads([SimpleUploadedFile("broken.zip", b"not a zip")], tmp_path)


@pytest.mark.django_db
def test_upload_page_shows_refusal_reason(superuser_client):
    response = superuser_client.post(URL, {"files": [zip_upload({"../x.md": POST}, name="bad.zip")]})
    assert response.status_code == 200
    assert "bad.zip: ../x.md: paths with &#x27;..&#x27; are not allowed." in response.text


@pytest.mark.django_db
def test_upload_page_needs_the_import_permission(client, django_user_model):
    staff = django_user_model.objects.create_user("staff", password="pw", is_staff=True)
    client.force_login(staff)
    assert client.get(URL).status_code == 403


def test_upload_limits_come_from_the_environment(monkeypatch):
    import importlib

    from archive import settings as module

    monkeypatch.setenv("IMPORT_UPLOAD_MAX_BYTES", "1048576")
    monkeypatch.setenv("IMPORT_UPLOAD_MAX_FILES", "30")
    try:
        importlib.reload(module)
        assert (module.IMPORT_UPLOAD_MAX_BYTES, module.IMPORT_UPLOAD_MAX_FILES) == (1048576, 30)
        assert module.DATA_UPLOAD_MAX_NUMBER_FILES == 30
    finally:
        monkeypatch.undo()
        importlib.reload(module)
    assert (module.IMPORT_UPLOAD_MAX_BYTES, module.IMPORT_UPLOAD_MAX_FILES) == (200 * 1024 * 1024, 20_000)
    assert module.DATA_UPLOAD_MAX_NUMBER_FILES == 20_000


@pytest.mark.django_db
def test_more_files_than_the_limit_get_a_clear_message(superuser_client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    files = [SimpleUploadedFile(f"{i}.md", POST) for i in range(3)]
    response = superuser_client.post(URL, {"files": files})
    assert response.status_code == 200
    assert "Too many files in one upload" in response.text
