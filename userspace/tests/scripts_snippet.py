#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""docs/scripts.md's rmcp_device(), run as written against fixture machines.
TAP lines on stdout.

    tests/scripts_snippet.py PROBE
"""
import os
import re
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
doc = open(os.path.join(here, '..', '..', 'docs', 'scripts.md')).read()
block = re.search(r'## Python\n.*?```python\n(.*?)```', doc, re.S).group(1)
ns = {}
exec(compile(block, 'docs/scripts.md', 'exec'), ns)
rmcp_device = ns['rmcp_device']

probe = os.path.abspath(sys.argv[1])
bindir = tempfile.mkdtemp()
os.symlink(probe, os.path.join(bindir, 'rmcp-probe'))
path = os.environ.get('PATH', '')

# fixture, expected choice, a word the reasons must hold (None: no reasons)
cases = [
    ('rx5700xt-covered', 'gpu', None),
    ('rx6700xt-hsa-compatible', 'gpu', None),
    ('igpu-trap', 'gpu', None),
    ('rmcp-not-loaded', 'cpu', 'rmcp'),
    ('hsa-override-mismatch', 'cpu', 'HSA_OVERRIDE_GFX_VERSION'),
    ('rmcp-disabled', 'cpu', 'covered'),
    ('no-gpu', None, 'RDNA'),
    ('vfio-passthrough', None, 'RDNA'),
    ('/nonexistent/root', 'cpu', 'could not run'),
    # --device: the card the job runs on, on a rig where 4 of 20 are not covered
    ('rig-20-gpus', 'cpu', 'covered'),
    ('rig-20-gpus', 'gpu', None, '0000:20:00.0'),
    ('rig-20-gpus', 'cpu', 'covered', '30:00.0'),
]
rc = 0
for name, want, word, *bdf in cases:
    os.environ['PATH'] = bindir + os.pathsep + path
    os.environ['RMCP_PROBE_ROOT'] = name if name.startswith('/') else \
        os.path.join(here, 'fixtures', name)
    got, reasons = rmcp_device(*bdf)
    ok = got == want and (reasons == [] if word is None else
                          any(word in r for r in reasons))
    print('%s - userspace docs/scripts.md rmcp_device(%s) on %s says %s%s' %
          ('ok' if ok else 'not ok', ', '.join(repr(b) for b in bdf), name, got,
           '' if ok else ' # %r' % (reasons,)))
    rc |= not ok
os.environ['PATH'] = tempfile.mkdtemp()
got, reasons = rmcp_device()
ok = got == 'cpu' and 'not installed' in reasons[0]
print('%s - userspace docs/scripts.md rmcp_device() without rmcp-probe says cpu' %
      ('ok' if ok else 'not ok'))
rc |= not ok
os.environ['PATH'] = path
sys.exit(rc)
