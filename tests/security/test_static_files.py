"""Static files as an install serves them (collectstatic, then WhiteNoise in the app): an office on
3G or a shared satellite link, paying per megabyte, fetches the stylesheet and scripts compressed,
and once, not again every minute."""

import re

from django.core.management import call_command
from django.test import Client, RequestFactory, override_settings
from whitenoise.middleware import WhiteNoiseMiddleware

from sop_iku import settings as app_settings

FOREVER = "max-age=315360000, public, immutable"


def collected_into(root, source=None):
    """The app's storage and WhiteNoise as an install runs them, collecting into `root` from the
    project's own static folder (or from `source`) only: the packages' (admin, API docs) take a minute."""
    folders = {"STATICFILES_DIRS": [source]} if source is not None else {}
    return override_settings(STORAGES=app_settings.STORAGES, STATIC_ROOT=root, DEBUG=False, **folders,
                             STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"])


def test_the_stylesheet_and_scripts_are_served_compressed_and_cached_for_good(tmp_path, db):
    with collected_into(tmp_path):
        call_command("collectstatic", interactive=False, verbosity=0)
        page = Client().get("/masuk/").content.decode()
        served = WhiteNoiseMiddleware(lambda request: None)
        linked = re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', page)
        assert linked, page
        for url in linked:
            name = url.removeprefix("/static/")
            original = (app_settings.BASE_DIR / "static" / re.sub(r"\.[0-9a-f]{12}\.", ".", name)).read_bytes()
            # Named by content: a changed file is a new address, so the old one may be kept for good.
            assert re.search(r"\.[0-9a-f]{12}\.(css|js)$", name), url
            response = served(RequestFactory().get(url, HTTP_ACCEPT_ENCODING="gzip, br"))
            assert response.status_code == 200, url
            assert response["Cache-Control"] == FOREVER, url
            assert response["Content-Encoding"] in ("br", "gzip"), url
            assert int(response["Content-Length"]) < len(original) / 2, url


def test_a_file_collected_after_the_server_started_is_served(tmp_path, db):
    # An upgrade without downtime collects the new release on every app server before each restarts
    # (deploy/README.md): a page from a server restarted already names the new stylesheet, and the
    # balancer may ask a server not yet restarted for it.
    from django.http import HttpResponseNotFound

    from sop_iku.static_files import StaticFilesMiddleware

    with collected_into(tmp_path):
        call_command("collectstatic", interactive=False, verbosity=0)
        running = StaticFilesMiddleware(lambda request: HttpResponseNotFound())
        (tmp_path / "css" / "app.0123456789ab.css").write_text("body { color: black; }\n")
        response = running(RequestFactory().get("/static/css/app.0123456789ab.css"))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"body { color: black; }\n"
        # Nothing outside the collected files, and a name never collected is still not found.
        assert running(RequestFactory().get("/static/../manage.py")).status_code == 404
        assert running(RequestFactory().get("/static/css/none.css")).status_code == 404


def test_a_page_served_before_collectstatic_ran_is_no_server_error(tmp_path, db):
    # An upgrade that skipped collectstatic, or a server started straight from a checkout: with no
    # manifest every page, the health check's included, was a server error, and HAProxy took the
    # server out (the stack drill's rolling upgrade). The page goes out, its links plain.
    with override_settings(STORAGES=app_settings.STORAGES, STATIC_ROOT=tmp_path, DEBUG=False):
        response = Client().get("/masuk/")
    assert response.status_code == 200
    assert 'href="/static/css/app.css"' in response.content.decode()


def test_a_server_started_after_collectstatic_does_not_ask_for_collectstatic(tmp_path, db, caplog):
    """At each start the log told the admin 32 times "Berkas statis … belum dikumpulkan: jalankan
    manage.py collectstatic", right after collectstatic ran: WhiteNoise asks, of every file with two
    dots in its name (the API pages' "font-awesome-4.0.3.css"), whether the name without its last
    part is a collected file, and each "no" was taken for a missing file."""
    from sop_iku.static_files import StaticFilesMiddleware

    source = tmp_path / "source"
    (source / "vendor").mkdir(parents=True)
    (source / "vendor" / "font-awesome-4.0.3.css").write_text("i { color: black; }\n")
    with collected_into(tmp_path / "collected", source):
        call_command("collectstatic", interactive=False, verbosity=0)
        with caplog.at_level("WARNING", logger="sop_iku.static_files"):
            StaticFilesMiddleware(lambda request: None)
    assert "belum dikumpulkan" not in caplog.text


def test_a_script_is_kept_compressed_and_its_source_map_plain(tmp_path, db):
    """A source map is read only by a developer's browser tools: compressing the API docs' maps
    with brotli was half of collectstatic's time at every install and upgrade."""
    source = tmp_path / "source"
    (source / "js").mkdir(parents=True)
    script = "function f(kode) { return kode; }\n" * 400
    (source / "js" / "bundle.js").write_text(script + "//# sourceMappingURL=bundle.js.map\n")
    (source / "js" / "bundle.js.map").write_text('{"version": 3, "mappings": "' + "AAAA;" * 4000 + '"}\n')
    collected = tmp_path / "collected"
    with collected_into(collected, source):
        call_command("collectstatic", interactive=False, verbosity=0)
        served = WhiteNoiseMiddleware(lambda request: None)
        names = {path.name for path in (collected / "js").iterdir()}
        hashed = [name for name in names if re.fullmatch(r"bundle\.[0-9a-f]{12}\.js", name)]
        assert hashed and {hashed[0] + ".br", hashed[0] + ".gz"} <= names, names
        script_served = served(RequestFactory().get(f"/static/js/{hashed[0]}", HTTP_ACCEPT_ENCODING="gzip, br"))
        assert script_served["Content-Encoding"] == "br"
        maps = {name for name in names if ".map" in name}
        assert maps and all(name.endswith(".map") for name in maps), maps
        for name in maps:
            map_served = served(RequestFactory().get(f"/static/js/{name}", HTTP_ACCEPT_ENCODING="gzip, br"))
            assert map_served.status_code == 200 and not map_served.has_header("Content-Encoding"), name
