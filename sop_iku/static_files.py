"""WhiteNoise, serving the collected static files, that also finds a file collected after it started.

Files are named by their content's hash (settings.STORAGES), and WhiteNoise lists STATIC_ROOT once,
at start. During an upgrade without downtime (deploy/README.md) the new release is collected on
every app server before each restarts, and HAProxy sends each request to either: a page from a
server already restarted names the new stylesheet, which a server not yet restarted had not listed,
and answered 404, so the page came unstyled. A name not listed is looked up in STATIC_ROOT once.
"""

import os

from whitenoise.middleware import WhiteNoiseMiddleware
from whitenoise.responders import NotARegularFileError


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    def __call__(self, request):
        url = request.path_info
        if url not in self.files and url.startswith(self.static_prefix) and self.static_root and not self.autorefresh:
            found = self._collected_since_start(url)
            if found is not None:
                self.files[url] = found
        return super().__call__(request)

    def _collected_since_start(self, url):
        root = os.path.join(os.path.abspath(self.static_root), "")
        path = os.path.join(root, url[len(self.static_prefix):])
        if not (self.url_is_canonical(url) and self.path_is_child_of(path, root)):
            return None
        try:
            return self.find_file_at_path(path, url)
        except NotARegularFileError:
            return None
