# Nothing here is a test, and locust patches the standard library with gevent when imported:
# pytest must never import these modules, even when asked for this folder by name.
collect_ignore_glob = ["*.py"]
