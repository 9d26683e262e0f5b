#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""--format=prometheus on every fixture machine: well-formed text exposition
format (what node_exporter's textfile collector reads) that says what
--json says. TAP lines on stdout.

    tests/prometheus.py PROBE FIXTURES_DIR
"""
import json
import os
import re
import subprocess
import sys

NAME = re.compile(r'[a-zA-Z_:][a-zA-Z0-9_:]*$')
SAMPLE = re.compile(r'([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (-?[0-9]+(\.[0-9]+)?)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\["\\n])*)"(,|$)')


def parse(text):
    """{(name, labels): value}; raises AssertionError on a malformed line."""
    types, helps, out = {}, set(), {}
    assert text.endswith('\n'), 'no final newline'
    for line in text.splitlines():
        if line.startswith('# HELP '):
            name = line.split(' ')[2]
            assert NAME.match(name) and name not in helps, line
            helps.add(name)
        elif line.startswith('# TYPE '):
            _, _, name, typ = line.split(' ')
            assert typ in ('gauge', 'counter') and name not in types, line
            assert not typ == 'counter' or name.endswith('_total'), line
            types[name] = typ
        else:
            m = SAMPLE.match(line)
            assert m, 'bad sample line: %r' % line
            name, labels = m.group(1), {}
            assert name in types and name in helps, 'no TYPE/HELP before ' + line
            rest = m.group(3) or ''
            while rest:
                lm = LABEL.match(rest)
                assert lm, 'bad labels: %r' % line
                labels[lm.group(1)] = lm.group(2)
                rest = rest[lm.end():]
            key = (name, tuple(sorted(labels.items())))
            assert key not in out, 'duplicate series ' + line
            out[key] = float(m.group(4))
    return out


def per_gpu(samples, name):
    return {dict(k[1])['device']: v for k, v in samples.items() if k[0] == name}


def one(samples, name):
    return samples.get((name, ()))


def check(probe, root, args):
    env = dict(os.environ, RMCP_PROBE_ROOT=root)
    p = subprocess.run([probe, '--format=prometheus'] + args, env=env,
                       capture_output=True, text=True)
    j = subprocess.run([probe, '--json'] + args, env=env, capture_output=True, text=True)
    assert not p.stderr and not j.stderr, p.stderr + j.stderr
    assert p.returncode == j.returncode, 'exit %d vs %d' % (p.returncode, j.returncode)
    s, d = parse(p.stdout), json.loads(j.stdout)
    sm = d['summary']
    assert one(s, 'rmcp_probe_exit_code') == sm['exit'] == p.returncode
    assert one(s, 'rmcp_probe_problems') == sm['problems']
    assert one(s, 'rmcp_probe_warnings') == sm['warnings']
    assert one(s, 'rmcp_gpus_covered') == sm['covered']
    assert one(s, 'rmcp_loaded') == d['rmcp']['loaded']
    if d['rmcp']['loaded'] and d['rmcp']['state']:
        states = {dict(k[1])['state']: v for k, v in s.items() if k[0] == 'rmcp_state'}
        assert states.get(d['rmcp']['state']) == 1 and sum(states.values()) == 1, states
    gpus = {g['bdf']: g for g in d['gpus']}
    for name, key in (('rmcp_gpu_covered', 'covered'), ('rmcp_gpu_in_scope', 'in_scope')):
        got = per_gpu(s, name)
        assert got == {b: float(g[key]) for b, g in gpus.items()}, (name, got)
    assert one(s, 'rmcp_gpus_in_scope') == sum(g['in_scope'] for g in gpus.values())
    probs = per_gpu(s, 'rmcp_gpu_problems')
    for b in gpus:
        want = sum(1 for f in d['findings'] if f['severity'] == 'problem' and f['gpu'] == b)
        assert probs[b] == want, (b, probs[b], want)
    for counter in ('calls', 'cc_seen', 'cc_rewritten', 'rejected'):
        got = per_gpu(s, 'rmcp_gpu_%s_total' % counter)
        want = {b: float(g['rmcp'][counter]) for b, g in gpus.items()
                if g['rmcp'] and g['rmcp'].get(counter) is not None}
        assert got == want, (counter, got, want)
    f = d.get('faults')
    if f and f['readable']:
        got = per_gpu(s, 'rmcp_gpu_faults')
        for b in gpus:
            want = sum(x['count'] for x in f['faults'] if x['device'] == b)
            assert got[b] == want, (b, got[b], want)
        lost = per_gpu(s, 'rmcp_gpu_lost')
        for b in gpus:
            assert lost[b] == any(x['gpu_lost'] for x in f['faults'] if x['device'] == b)
        # every fault of the log is in a series: a card the kernel log names
        # but this machine no longer lists (it fell off the bus) included
        for b in {x['device'] for x in f['faults'] if x['device']}:
            want = sum(x['count'] for x in f['faults'] if x['device'] == b)
            assert got.get(b) == want, ('rmcp_gpu_faults', b, got.get(b), want)
            assert lost.get(b) == any(x['gpu_lost'] for x in f['faults'] if x['device'] == b)
        resets = per_gpu(s, 'rmcp_gpu_resets')
        for b in {e['device'] for e in f['events'] if e['device']} | set(gpus):
            want = sum(e['count'] for e in f['events']
                       if e['kind'] == 'gpu-reset' and e['device'] == b)
            assert resets.get(b, 0) == want, ('rmcp_gpu_resets', b, resets.get(b), want)
        assert one(s, 'rmcp_faults_unattributed') == \
            sum(x['count'] for x in f['faults'] if not x['device'])
    return p.returncode


# a saved log (--faults -) whose second card is not on this machine any more:
# its fault, its 0xFFFFFFFF status and its reset must still be metrics
GONE = ''.join('[ 90.%06d] amdgpu 0000:0b:00.0: %s\n' % (i, l) for i, l in enumerate([
    '[gfxhub] page fault (src_id:0 ring:24 vmid:2 pasid:9, for process t pid 5 thread t pid 5)',
    '  in page starting at address 0x00007f0000bb0000 from client 0x1b (UTCL2)',
    'GCVM_L2_PROTECTION_FAULT_STATUS:0xFFFFFFFF',
    'GPU reset begin!']))


def check_gone(probe, root):
    env = dict(os.environ, RMCP_PROBE_ROOT=root)
    p = subprocess.run([probe, '--format=prometheus', '--faults', '-'], env=env,
                       input=GONE, capture_output=True, text=True)
    j = subprocess.run([probe, '--json', '--faults', '-'], env=env,
                       input=GONE, capture_output=True, text=True)
    s, d = parse(p.stdout), json.loads(j.stdout)
    assert '0000:0b:00.0' not in {g['bdf'] for g in d['gpus']}
    key = (('device', '0000:0b:00.0'), ('gfx', ''), ('pci_id', ''))
    for name, want in (('rmcp_gpu_faults', 1), ('rmcp_gpu_lost', 1), ('rmcp_gpu_resets', 1)):
        assert s.get((name, key)) == want, (name, s.get((name, key)))


def main():
    probe, fixtures = sys.argv[1], sys.argv[2]
    rc = 0
    for name in sorted(os.listdir(fixtures)):
        root = os.path.join(fixtures, name)
        args = []
        if os.path.exists(os.path.join(root, 'args')):
            args = open(os.path.join(root, 'args')).read().split()
        try:
            e = check(probe, root, args)
            print('ok - userspace prometheus %s (exit %d)' % (name, e))
        except (AssertionError, ValueError, KeyError) as ex:
            print('not ok - userspace prometheus %s # %r' % (name, ex))
            rc = 1
    try:
        check_gone(probe, os.path.join(fixtures, 'rx5700xt-covered'))
        print('ok - userspace prometheus: faults of a card no longer listed are metrics')
    except (AssertionError, ValueError, KeyError) as ex:
        print('not ok - userspace prometheus: faults of a card no longer listed # %r' % (ex,))
        rc = 1
    return rc


if __name__ == '__main__':
    sys.exit(main())
