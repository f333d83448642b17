"""Documents (材料附件): the files units upload — scans of 申请书, 法人证明, staff, equipment and
project papers, 制度 (manual §5) — checked by their bytes, kept on a filesystem or any S3 API,
frozen when an application is submitted, and readable only by whoever may read them.

Emits DocumentStored, DocumentDeleted and DocumentsFrozen; consumes nothing. Sweepers (kernel
jobs) delete objects no row refers to and purge deleted documents' bytes after the retention.
"""
