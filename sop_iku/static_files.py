"""WhiteNoise, serving the collected static files, that also finds a file collected after it started.

Files are named by their content's hash (settings.STORAGES), and WhiteNoise lists STATIC_ROOT once,
at start. During an upgrade without downtime (deploy/README.md) the new release is collected on
every app server before each restarts, and HAProxy sends each request to either: a page from a
server already restarted names the new stylesheet, which a server not yet restarted had not listed,
and answered 404, so the page came unstyled. A name not listed is looked up in STATIC_ROOT once.
"""

import logging
import os

from django.contrib.staticfiles.storage import StaticFilesStorage, staticfiles_storage
from whitenoise.middleware import WhiteNoiseMiddleware
from whitenoise.responders import NotARegularFileError
from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger(__name__)


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    def __call__(self, request):
        url = request.path_info
        if url not in self.files and url.startswith(self.static_prefix) and self.static_root and not self.autorefresh:
            found = self._collected_since_start(url)
            if found is not None:
                self.files[url] = found
        return super().__call__(request)

    def get_static_url(self, name):
        # WhiteNoise asks, of each file with two dots in its name ("font-awesome-4.0.3.css"), whether
        # the name without its last part is a collected one, to tell a file named by its hash: "no"
        # is an answer there, not a file missing, and told the admin to run collectstatic at each start.
        strict = getattr(staticfiles_storage, "collected_url", None)
        if strict is None:
            return super().get_static_url(name)
        try:
            return strict(name)
        except ValueError:
            return None

    def _collected_since_start(self, url):
        root = os.path.join(os.path.abspath(self.static_root), "")
        path = os.path.join(root, url[len(self.static_prefix):])
        if not (self.url_is_canonical(url) and self.path_is_child_of(path, root)):
            return None
        try:
            return self.find_file_at_path(path, url)
        except NotARegularFileError:
            return None


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Static files named by their content's hash, compressed (settings.STORAGES). A name the
    manifest lacks (collectstatic not yet run for this release: an upgrade that skipped the step, a
    server started straight from a checkout) would make every page a server error, its health check
    included, and HAProxy take the server out: the page goes out with the plain name instead,
    unstyled until collectstatic runs, and the log says so once per name."""

    def collected_url(self, name, force=False):
        """The collected file's address; ValueError when the manifest has no such name."""
        return super().url(name, force)

    def url(self, name, force=False):
        try:
            return super().url(name, force)
        except ValueError:
            if name not in _told:
                _told.add(name)
                logger.warning("Berkas statis %s belum dikumpulkan: jalankan manage.py collectstatic.", name)
            return StaticFilesStorage.url(self, name)


_told: set[str] = set()
