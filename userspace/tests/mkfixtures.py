#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Writes the fixture machines under tests/fixtures/ (see tests/README.md).

Rewrites every fixture directory from scratch, expected outputs included:
run `make golden-update` afterwards and review the diff.
"""
import os
import shutil

base = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'fixtures')
SPDX = '# SPDX-License-Identifier: GPL-2.0\n'
PCIIDS = """# SPDX-License-Identifier: GPL-2.0
# Excerpt of pci.ids (GPL-2.0-or-later or BSD-3-Clause) for rmcp-probe's fixtures.
1002  Advanced Micro Devices, Inc. [AMD/ATI]
\t1506  Mendocino
\t1681  Rembrandt [Radeon 680M]
\t5046  Rage 4 [Rage 128 PRO AGP 4X]
\t731f  Navi 10 [Radeon RX 5600 OEM/5600 XT / 5700/5700 XT]
\t73bf  Navi 21 [Radeon RX 6800/6800 XT / 6900 XT]
\t744c  Navi 31 [Radeon RX 7900 XT/7900 XTX]
8086  Intel Corporation
\t46a6  Alder Lake-P Integrated Graphics Controller
"""
SB_GUID = 'SecureBoot-8be4df61-93ca-11d2-aa0d-e0f5a6f4bd8a'

def w(root, path, content, mode='w'):
    p = os.path.join(root, path)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, mode) as f:
        f.write(content)

def link(root, path, target):
    p = os.path.join(root, path)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    os.symlink(target, p)

def system(root, rel, efi=True, sb=False, lockdown='none', sig=False):
    w(root, 'proc/sys/kernel/osrelease', rel + '\n')
    if efi:
        w(root, 'sys/firmware/efi/efivars/' + SB_GUID, b'\x06\x00\x00\x00' + (b'\x01' if sb else b'\x00'), 'wb')
    words = ['none', 'integrity', 'confidentiality']
    w(root, 'sys/kernel/security/lockdown', ' '.join('[%s]' % x if x == lockdown else x for x in words) + '\n')
    w(root, 'sys/module/module/parameters/sig_enforce', 'Y\n' if sig else 'N\n')
    w(root, 'usr/share/misc/pci.ids', PCIIDS)

def amdgpu(root, noretry=-1, frag=-1):
    w(root, 'sys/module/amdgpu/initstate', 'live\n')
    w(root, 'sys/module/amdgpu/parameters/noretry', '%d\n' % noretry)
    w(root, 'sys/module/amdgpu/parameters/vm_fragment_size', '%d\n' % frag)

def pci(root, bdf, vendor, device, sv, sd, rev, cls=0x030000, driver='amdgpu', gc=None):
    d = 'sys/bus/pci/devices/%s/' % bdf
    w(root, d + 'vendor', '0x%04x\n' % vendor)
    w(root, d + 'device', '0x%04x\n' % device)
    w(root, d + 'subsystem_vendor', '0x%04x\n' % sv)
    w(root, d + 'subsystem_device', '0x%04x\n' % sd)
    w(root, d + 'revision', '0x%02x\n' % rev)
    w(root, d + 'class', '0x%06x\n' % cls)
    if driver:
        link(root, d + 'driver', '../../../bus/pci/drivers/' + driver)
    if gc:
        for k, v in zip(('major', 'minor', 'revision'), gc):
            w(root, d + 'ip_discovery/die/0/11/0/' + k, '%d\n' % v)

def drm(root, bdf, device, node, name, family=143, apu=False, ipv=None, error=None, check=None):
    lines = [SPDX.strip(), '# libdrm answers recorded for %s' % bdf, 'vendor_id=0x1002', 'device_id=0x%04x' % device,
             'render_node=' + node]
    if error:
        lines.append('error=' + error)
    else:
        lines += ['driver=amdgpu', 'family_id=%d' % family, 'ids_flags=%s' % ('0x1' if apu else '0x0')]
        if ipv:
            lines.append('ip_discovery_version=0x%06x' % ((ipv[0] << 16) | (ipv[1] << 8) | ipv[2]))
        if name:
            lines.append('marketing_name=' + name)
    w(root, 'drm/%s/device' % bdf, '\n'.join(lines) + '\n')
    if check:
        w(root, 'drm/%s/check' % bdf, SPDX + check)

def rmcp(root, state='armed', reason='', abi='6.12: gmc_v10_0_get_vm_pte(adev, mapping, flags)', selftest='pass',
         nmissed=0, enable='Y', noretry=1, frag=9, extra='', exclude='', apu='N', taint='O', version='0.1.0'):
    s = 'sys/module/rmcp/'
    w(root, s + 'taint', taint + '\n')
    for k, v in dict(state=state, reason=reason, kernel_abi=abi, selftest=selftest, nmissed=nmissed, version=version).items():
        w(root, s + 'status/' + k, '%s\n' % v)
    for k, v in dict(enable=enable, noretry=noretry, vm_fragment_size=frag, extra_ids=extra, exclude_ids=exclude, apu=apu).items():
        w(root, s + 'parameters/' + k, '%s\n' % v)

def rdev(root, bdf, pci_id, family, gfx, matched='table', policy='applied', noretry=1, frag=9,
         calls=0, seen=0, rewritten=0, rejected=0):
    d = 'sys/module/rmcp/devices/%s/' % bdf
    for k, v in dict(pci_id=pci_id, family=family, gfx=gfx, matched=matched, policy=policy, noretry=noretry,
                     vm_fragment_size=frag, calls=calls, cc_seen=seen, cc_rewritten=rewritten, rejected=rejected).items():
        w(root, d + k, '%s\n' % v)

def module_file(root, rel, signed, where='updates/dkms'):
    body = b'\x7fELF' + b'\0' * 60
    if signed:
        body += b'\0' * 16 + b'~Module signature appended~\n'
    w(root, 'lib/modules/%s/%s/rmcp.ko' % (rel, where), body, 'wb')

def fixture(name, desc, args=''):
    root = os.path.join(base, name)
    if os.path.exists(root):
        shutil.rmtree(root)
    os.makedirs(root)
    w(root, 'README', '# SPDX-License-Identifier: GPL-2.0\n' + desc.strip() + '\n')
    if args:
        w(root, 'args', args + '\n')
    return root

K612 = '6.12.57+deb13-amd64'
K61 = '6.1.0-56-amd64'
K72 = '7.2.13+deb14-amd64'
B1 = '0000:03:00.0'
XT = (0x731f, 'AMD Radeon RX 5700 XT')
R68 = (0x73bf, 'AMD Radeon RX 6800')

def rx5700(r, check=None, error=None):
    pci(r, B1, 0x1002, 0x731f, 0x1da2, 0xe409, 0xc1, gc=(10, 1, 10))
    drm(r, B1, 0x731f, '/dev/dri/renderD128', XT[1], ipv=(10, 1, 10), check=check, error=error)

def rx6800(r, bdf=B1, check=None, error=None, hwip=True):
    pci(r, bdf, 0x1002, 0x73bf, 0x1002, 0x0e3a, 0xc3, gc=(10, 3, 0))
    drm(r, bdf, 0x73bf, '/dev/dri/renderD128', R68[1], ipv=(10, 3, 0) if hwip else None, check=check, error=error)

# 1
r = fixture('no-gpu', 'A laptop with an Intel GPU only: no AMD GPU, rmcp not installed. Exit 3.')
system(r, K612)
pci(r, '0000:00:02.0', 0x8086, 0x46a6, 0x17aa, 0x22e4, 0x0c, driver='i915')
# 2
r = fixture('rx5700xt-covered', 'RX 5700 XT (Navi 10, gfx1010) covered: rmcp armed, policy applied. Exit 0.')
system(r, K612)
amdgpu(r)
rx5700(r)
rmcp(r)
rdev(r, B1, '1002:731f', 'NAVI10', 'gfx1010', calls=48211)
module_file(r, K612, True)
# 3
r = fixture('rx6800-rx7900xtx', 'RX 6800 (gfx1030) covered next to an RX 7900 XTX (gfx1100, out of scope); '
            'Secure Boot on with a signed rmcp. Exit 0.')
system(r, K72, sb=True, lockdown='integrity', sig=True)
amdgpu(r)
rx6800(r)
B2 = '0000:0c:00.0'
pci(r, B2, 0x1002, 0x744c, 0x1da2, 0x471e, 0xc8, gc=(11, 0, 0))
drm(r, B2, 0x744c, '/dev/dri/renderD129', 'AMD Radeon RX 7900 XTX', family=145, ipv=(11, 0, 0))
rmcp(r, abi='6.18+: gmc_v10_0_get_vm_pte(adev, vm, bo, vm_flags, flags)')
rdev(r, B1, '1002:73bf', 'SIENNA_CICHLID', 'gfx1030', calls=1290, seen=2, rewritten=2)
rdev(r, B2, '1002:744c', '', '', matched='no', policy='skipped', noretry=-1, frag=-1)
module_file(r, K72, True)
# 4
r = fixture('apu-disabled', 'Rembrandt APU (Radeon 680M, gfx1035) with rmcp\'s default apu=0: not covered. Exit 1.')
system(r, K61)
amdgpu(r)
BA = '0000:04:00.0'
pci(r, BA, 0x1002, 0x1681, 0x17aa, 0x3a4b, 0xc8, gc=(10, 3, 3))
drm(r, BA, 0x1681, '/dev/dri/renderD128', 'AMD Radeon 680M', family=146, apu=True, ipv=(10, 3, 3))
rmcp(r, state='idle', reason='no matched GPU', abi='6.1: gmc_v10_0_get_vm_pte(adev, mapping, flags)', selftest='not-run')
rdev(r, BA, '1002:1681', 'YELLOW_CARP', 'gfx1035', matched='apu-disabled', policy='skipped', noretry=-1, frag=-1)
# 5
r = fixture('rmcp-not-loaded', 'RX 6800 with rmcp installed but not loaded. Exit 1.')
system(r, K612)
amdgpu(r)
rx6800(r)
module_file(r, K612, True)
# 6
r = fixture('rmcp-refused', 'RX 5700 XT on a kernel older than rmcp\'s oldest ABI row: rmcp refused to arm. Exit 1.')
system(r, '5.10.0-30-amd64')
amdgpu(r, noretry=0)
rx5700(r)
rmcp(r, state='refused', reason='kernel 5.10 is older than the oldest supported ABI (6.1)', abi='none', selftest='not-run')
rdev(r, B1, '1002:731f', 'NAVI10', 'gfx1010', policy='pending', noretry=-1, frag=-1)
# 7
r = fixture('rmcp-degraded', 'RX 6800, rmcp armed but its kretprobe missed calls (degraded); '
            'the render node is not accessible to this user. Exit 1.')
system(r, K612)
amdgpu(r)
rx6800(r, error='open /dev/dri/renderD128: Permission denied', hwip=False)
rmcp(r, state='degraded', reason='kretprobe missed calls', nmissed=12)
rdev(r, B1, '1002:73bf', 'SIENNA_CICHLID', 'gfx1030', calls=90321)
# 8
r = fixture('rmcp-too-late', 'RX 6800: rmcp loaded after amdgpu had initialised the GPU (policy too-late). Exit 1.')
system(r, K612)
amdgpu(r)
rx6800(r)
rmcp(r)
rdev(r, B1, '1002:73bf', 'SIENNA_CICHLID', 'gfx1030', policy='too-late', noretry=-1, frag=-1, calls=211)
# 9
r = fixture('hsa-override-mismatch', 'RX 5700 XT covered, but HSA_OVERRIDE_GFX_VERSION=10.3.0 makes ROCm run '
            'gfx1030 code on a gfx1010 GPU; amdgpu.noretry=0 given by hand. Exit 1.')
system(r, K612)
amdgpu(r, noretry=0)
rx5700(r)
rmcp(r, noretry=-1)
rdev(r, B1, '1002:731f', 'NAVI10', 'gfx1010', noretry=-1, calls=7)
w(r, 'environ', SPDX + 'HSA_OVERRIDE_GFX_VERSION=10.3.0\nPATH=/usr/bin\n')
# 10
r = fixture('not-in-table', 'Mendocino APU (GC 10.3.7 from sysfs IP discovery) is not in rmcp\'s table; '
            'apu=1 is set. rmcp-probe prints the extra_ids line. Exit 1.')
system(r, K612)
amdgpu(r)
BM = '0000:05:00.0'
pci(r, BM, 0x1002, 0x1506, 0x1043, 0x1e12, 0xc1, gc=(10, 3, 7))
drm(r, BM, 0x1506, '/dev/dri/renderD128', None, family=149, apu=True)
rmcp(r, state='idle', reason='no matched GPU', apu='Y', selftest='not-run')
rdev(r, BM, '1002:1506', '', '', matched='no', policy='skipped', noretry=-1, frag=-1)
# 11
r = fixture('secureboot-unsigned', 'RX 6800, Secure Boot on, rmcp.ko built without a signature: loading it '
            'fails with "Key was rejected by service". Exit 1.')
system(r, K612, sb=True, lockdown='integrity', sig=True)
amdgpu(r)
rx6800(r)
module_file(r, K612, False)
# 12
r = fixture('check-pass', 'RX 6800 covered; --check maps a CC buffer and both counters move by 1. Exit 0.',
            args='--check')
system(r, K612)
amdgpu(r)
rx6800(r, check='# what the kernel did for the --check mapping\nmap=ok\ncc_seen_delta=1\ncc_rewritten_delta=1\n')
rmcp(r)
rdev(r, B1, '1002:73bf', 'SIENNA_CICHLID', 'gfx1030', calls=100, seen=0, rewritten=0)
# 13
r = fixture('check-not-armed', 'RX 6800, rmcp not loaded; --check cannot prove anything. Exit 1.', args='--check')
system(r, K612)
amdgpu(r)
rx6800(r)
# 14
r = fixture('garbage-values', 'RX 6800 with damaged sysfs values: every bad file is named, nothing crashes. Exit 0 (warnings only).')
system(r, K612)
w(r, 'sys/kernel/security/lockdown', 'weird\n')
amdgpu(r)
w(r, 'sys/module/amdgpu/parameters/noretry', '99999999999999999999\n')
rx6800(r)
rmcp(r, nmissed='abc', extra='1002:zz', selftest='maybe')
rdev(r, B1, '1002:73bf', 'SIENNA_CICHLID', 'gfx1030', calls='', seen='18446744073709551616', rewritten='-1')
w(r, 'sys/module/rmcp/status/reason', 'line one\x01\n')
# 15
r = fixture('qemu-ati-vga', 'QEMU guest: ati-vga (1002:5046, no driver bound) matched through extra_ids, rmcp '
            'armed; what the live test expects. Exit 0.')
system(r, K72, efi=False)
amdgpu(r)
BQ = '0000:00:02.0'
pci(r, BQ, 0x1002, 0x5046, 0x1af4, 0x1100, 0x00, driver=None)
rmcp(r, extra='1002:5046', abi='6.18+: gmc_v10_0_get_vm_pte(adev, vm, bo, vm_flags, flags)')
rdev(r, BQ, '1002:5046', 'test', '', matched='extra_ids', policy='applied')
# 16
r = fixture('device-filter', 'The mixed machine with --device 0c:00.0: only the RX 7900 XTX, so no gfx10 GPU. Exit 3.',
            args='--device 0c:00.0')
system(r, K72)
amdgpu(r)
rx6800(r)
pci(r, B2, 0x1002, 0x744c, 0x1da2, 0x471e, 0xc8, gc=(11, 0, 0))
drm(r, B2, 0x744c, '/dev/dri/renderD129', 'AMD Radeon RX 7900 XTX', family=145, ipv=(11, 0, 0))

