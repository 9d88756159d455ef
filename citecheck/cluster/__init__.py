"""Running an audit on a Dask cluster: reading and citing mapped over documents, probing
sharded by host. Imported only for `citecheck audit --cluster`; nothing else loads Dask."""
