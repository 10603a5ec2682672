"""The scale-out search backend: the index on Xapian shards served by ``xapian-tcpsrv``.

``build`` writes the shards from a loaded corpus, ``shards`` opens the served shards as one
database with global statistics, ``backend`` answers the search interface from them.
"""
