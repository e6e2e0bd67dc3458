"""Speed at scale: generated registers, timed page reruns against a floor and a naive peer.

``make bench`` (``python -m benchmarks.run``) writes its registers and raw results to
``bench-output/`` and the results tables to ``docs/BENCHMARKS.md``. Not part of ``make test``.
"""
