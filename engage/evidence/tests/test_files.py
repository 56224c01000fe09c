"""Evidence files judged by content: real generated files, disguises, damage, and random bytes."""

from __future__ import annotations

import io
import wave

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image, PngImagePlugin

from engage.evidence.files import (
    MAX_BYTES,
    FileRefused,
    Kind,
    display_name,
    inspect,
    strip_metadata,
)

GPS_IFD = 0x8825
ORIENTATION = 0x0112
MAKE = 0x010F


def _exif_with_gps(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[MAKE] = "PhoneMakerCo"
    exif[GPS_IFD] = {1: "N", 2: (53.0, 10.0, 12.5), 3: "W", 4: (3.0, 8.0, 40.0)}
    return exif


def _image(fmt: str, size: tuple[int, int] = (60, 30), **options: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt, **options)
    return out.getvalue()


def _wav(frames: int = 800) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\x00\x01" * frames)
    return out.getvalue()


PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
EML = (
    b"Received: from mail.example.net by mx.flintshire.example\r\n"
    b"From: A Customer <customer@example.net>\r\n"
    b"To: contact@flintshire.example\r\n"
    b"Date: Mon, 23 Nov 2026 09:14:00 +0000\r\n"
    b"Subject: Complaint\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"\r\n"
    b"You will regret this.\r\n"
)
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x05" + b"\x00" * 5 + b"\xff\xfb\x90\x64" + b"\x00" * 400
OGG = b"OggS\x00\x02" + b"\x00" * 20 + b"\x01\x1evorbis" + b"\x00" * 100
M4A = b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00M4A mp42isom\x00\x00\x00\x00" + b"\x00" * 100


# Accepted kinds ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "kind", "content_type", "extension"),
    [
        (_image("PNG"), "Screenshot 2026-11-23.png", Kind.IMAGE, "image/png", ".png"),
        (_image("JPEG"), "IMG_0042.JPG", Kind.IMAGE, "image/jpeg", ".jpg"),
        (_image("JPEG"), "photo.jpeg", Kind.IMAGE, "image/jpeg", ".jpg"),
        (_image("GIF"), "post.gif", Kind.IMAGE, "image/gif", ".gif"),
        (_image("WEBP"), "post.webp", Kind.IMAGE, "image/webp", ".webp"),
        (PDF, "letter.pdf", Kind.PDF, "application/pdf", ".pdf"),
        (EML, "message.eml", Kind.EMAIL, "message/rfc822", ".eml"),
        (MP3, "voicemail.mp3", Kind.AUDIO, "audio/mpeg", ".mp3"),
        (_wav(), "call.wav", Kind.AUDIO, "audio/wav", ".wav"),
        (M4A, "memo.m4a", Kind.AUDIO, "audio/mp4", ".m4a"),
        (M4A, "memo.mp4", Kind.AUDIO, "audio/mp4", ".m4a"),
        (OGG, "voice.ogg", Kind.AUDIO, "audio/ogg", ".ogg"),
    ],
)
def test_an_allowed_file_is_accepted_with_its_type_taken_from_its_content(
    data, name, kind, content_type, extension
):
    verdict = inspect(data, name)
    assert (verdict.kind, verdict.content_type, verdict.extension) == (kind, content_type, extension)


def test_an_email_with_from_and_date_but_no_received_header_is_accepted():
    data = b"From: someone@example.net\nDate: Mon, 23 Nov 2026 09:14:00 +0000\n\nHello\n"
    assert inspect(data, "saved.eml").kind == Kind.EMAIL


def test_an_email_saved_with_a_leading_mbox_from_line_is_accepted():
    assert (
        inspect(b"From customer@example.net Mon Nov 23 09:14:00 2026\n" + EML, "saved.eml").kind == Kind.EMAIL
    )


# Refused: size, type, disguise, damage --------------------------------------------------------


def test_an_empty_file_is_refused():
    with pytest.raises(FileRefused, match="empty"):
        inspect(b"", "nothing.png")


def test_a_file_over_the_limit_is_refused_naming_the_limit():
    data = b"%PDF-1.4\n" + b"0" * MAX_BYTES + b"\n%%EOF\n"
    with pytest.raises(FileRefused, match="smaller than 20 MB"):
        inspect(data, "huge.pdf")


@pytest.mark.parametrize("name", ["setup.exe", "report.docx", "page.html", "drawing.svg", "README"])
def test_a_type_engage_does_not_accept_is_refused_listing_what_it_accepts(name):
    with pytest.raises(FileRefused, match=r"cannot be added\. Add PNG, JPEG") as refused:
        inspect(b"anything at all", name)
    assert "OGG audio" in refused.value.reason


def test_a_web_page_renamed_png_is_refused_as_disguised():
    html = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
    with pytest.raises(FileRefused) as refused:
        inspect(html, "screenshot.png")
    assert refused.value.reason == (
        "The file's name says it is a PNG image, but its content is a web page or other markup. "
        "Only add files that are what their name says."
    )


def test_a_windows_program_renamed_jpg_is_refused_as_disguised():
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
    with pytest.raises(FileRefused, match="its content is a Windows program"):
        inspect(exe, "photo.jpg")


def test_a_jpeg_named_png_is_refused_with_the_name_to_use():
    with pytest.raises(FileRefused, match=r"its content is a JPEG image\. Rename it to end in \.jpg"):
        inspect(_image("JPEG"), "screenshot.png")


def test_a_pdf_renamed_eml_is_refused():
    with pytest.raises(FileRefused, match="its content is a PDF document"):
        inspect(PDF, "message.eml")


@pytest.mark.parametrize(
    "data",
    [
        b"<html><body>Not an email</body></html>",
        b"Subject: no sender or date\n\nbody\n",
        b"From: a@example.net\x00\nDate: Mon, 23 Nov 2026 09:14:00 +0000\n\nbody",
        b"just some words\nFrom: a@example.net\nDate: Mon, 23 Nov 2026 09:14:00 +0000\n",
    ],
)
def test_a_file_that_is_not_an_rfc822_message_is_refused_as_an_email(data):
    with pytest.raises(FileRefused, match="name says it is an email"):
        inspect(data, "message.eml")


def test_a_truncated_pdf_is_refused():
    with pytest.raises(FileRefused, match="PDF is incomplete"):
        inspect(PDF[: len(PDF) // 2], "letter.pdf")


def test_a_truncated_wav_is_refused():
    data = _wav(4000)
    with pytest.raises(FileRefused, match="cut short"):
        inspect(data[: len(data) // 2], "call.wav")


def test_a_truncated_jpeg_passes_the_magic_number_but_is_refused_when_decoded():
    data = _image("JPEG", size=(400, 300))
    truncated = data[: len(data) // 2]
    verdict = inspect(truncated, "photo.jpg")
    with pytest.raises(FileRefused, match="could not be read"):
        strip_metadata(truncated, verdict.kind)


def test_an_image_too_large_in_pixels_is_refused_before_it_is_decoded():
    # 8000 × 8000 of one colour compresses to a few kilobytes but would decode to 64 megapixels.
    out = io.BytesIO()
    Image.new("1", (8000, 8000)).save(out, "PNG")
    with pytest.raises(FileRefused, match="too large: 8000 × 8000 pixels"):
        strip_metadata(out.getvalue(), Kind.IMAGE)


# Metadata stripped -----------------------------------------------------------------------------


def test_gps_and_camera_exif_are_stripped_from_a_jpeg_and_its_orientation_applied():
    data = _image(
        "JPEG", size=(60, 30), exif=_exif_with_gps(orientation=6), xmp=b"<x:xmpmeta>GPS</x:xmpmeta>"
    )
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)  # the test file really has GPS

    clean = strip_metadata(data, Kind.IMAGE)

    image = Image.open(io.BytesIO(clean))
    assert image.format == "JPEG"
    assert dict(image.getexif()) == {}
    assert "exif" not in image.info
    assert "xmp" not in image.info
    assert b"PhoneMakerCo" not in clean
    assert image.size == (30, 60)  # orientation 6 = turned 90°, now applied to the pixels


def test_text_chunks_and_exif_are_stripped_from_a_png():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "taken at 12 Example Street")
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>GPS</x:xmpmeta>")
    data = _image("PNG", pnginfo=info, exif=_exif_with_gps())

    clean = strip_metadata(data, Kind.IMAGE)

    image = Image.open(io.BytesIO(clean))
    assert image.format == "PNG"
    assert image.info == {}
    assert b"Example Street" not in clean
    assert dict(image.getexif()) == {}


def test_exif_and_xmp_are_stripped_from_a_webp():
    data = _image("WEBP", exif=_exif_with_gps(), xmp=b"<x:xmpmeta>GPS</x:xmpmeta>")

    clean = strip_metadata(data, Kind.IMAGE)

    image = Image.open(io.BytesIO(clean))
    assert "exif" not in image.info
    assert "xmp" not in image.info
    assert b"PhoneMakerCo" not in clean


def test_an_animated_gif_keeps_its_frames():
    frames = [Image.new("RGB", (20, 20), colour) for colour in ("red", "green", "blue")]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=200, comment=b"secret")
    assert Image.open(io.BytesIO(out.getvalue())).n_frames == 3

    clean = strip_metadata(out.getvalue(), Kind.IMAGE)

    image = Image.open(io.BytesIO(clean))
    assert image.n_frames == 3
    assert b"secret" not in clean


def test_files_other_than_images_are_kept_exactly_as_received():
    assert strip_metadata(PDF, Kind.PDF) == PDF
    assert strip_metadata(EML, Kind.EMAIL) == EML


# Names -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("declared", "shown"),
    [
        ("C:\\fakepath\\Screenshot.png", "Screenshot.png"),
        ("../../etc/passwd.png", "passwd.png"),
        ("bad\x00name\r\n.png", "badname.png"),
        ("", "unnamed file"),
    ],
)
def test_the_uploaded_name_is_reduced_to_something_safe_to_show(declared, shown):
    assert display_name(declared) == shown


# Properties ------------------------------------------------------------------------------------


@given(data=st.binary(max_size=2048), name=st.text(max_size=40))
def test_inspect_either_accepts_or_refuses_with_a_reason_and_never_crashes(data, name):
    try:
        verdict = inspect(data, name)
    except FileRefused as refused:
        reason = refused.reason
    else:
        reason = verdict.content_type
    assert reason


@given(
    data=st.one_of(
        st.binary(max_size=2048),
        st.binary(max_size=2048).map(lambda b: b"\x89PNG\r\n\x1a\n" + b),
        st.binary(max_size=2048).map(lambda b: b"\xff\xd8\xff" + b),
        st.binary(max_size=2048).map(lambda b: b"GIF89a" + b),
    ),
    name=st.sampled_from(["a.png", "a.jpg", "a.gif", "a.webp"]),
)
def test_random_bytes_are_never_accepted_as_an_image_unless_they_decode(data, name):
    try:
        verdict = inspect(data, name)
        clean = strip_metadata(data, verdict.kind)
    except FileRefused:
        return
    with Image.open(io.BytesIO(clean)) as image:
        image.load()


@given(
    prefix=st.sampled_from(
        [b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"GIF89a", b"RIFF\x00\x00\x00\x00WEBP"]
    )
)
def test_a_valid_image_cut_at_any_point_is_refused_or_still_decodes(prefix):
    whole = _image({b"\x89": "PNG", b"\xff": "JPEG", b"G": "GIF", b"R": "WEBP"}[prefix[:1]], size=(64, 48))
    for cut in range(len(prefix), len(whole), max(1, len(whole) // 25)):
        try:
            clean = strip_metadata(whole[:cut], Kind.IMAGE)
        except FileRefused:
            continue
        with Image.open(io.BytesIO(clean)) as image:
            image.load()


def test_a_truncated_jpeg_is_refused_even_after_weasyprint_relaxed_pillow():
    """WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES for the whole process when imported (the
    letters app loads it), which once let cut-short uploads through in the same process."""
    import weasyprint  # noqa: F401  (imported for its side effect on Pillow)
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    data = _image("JPEG", size=(400, 300))
    truncated = data[: len(data) // 2]
    with pytest.raises(FileRefused, match="could not be read"):
        strip_metadata(truncated, inspect(truncated, "photo.jpg").kind)
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # restored for WeasyPrint
