#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Writes the fixture machines under tests/fixtures/ (see tests/README.md).

Rewrites every fixture directory from scratch, expected outputs included:
run `make golden-update` afterwards and review the diff.
"""
import os
import shutil
import struct
import subprocess
import tempfile

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

def _elf_module(d, name, version, srcversion):
    """D/NAME.ko: a tiny ELF object whose .modinfo says NAME, VERSION, SRCVERSION."""
    src = os.path.join(d, name + '.c')
    with open(src, 'w') as f:
        f.write('__attribute__((section(".modinfo"), used)) static const char mi[] = '
                '"version=%s\\0license=GPL\\0srcversion=%s\\0name=%s";\n'
                % (version, srcversion, name))
    ko = os.path.join(d, name + '.ko')
    subprocess.run(['cc', '-c', '-o', ko, src], check=True)
    return ko

_MODS = {}

def _modules():
    """A tiny real ELF object with a .modinfo section, unsigned and signed
    (PKCS#7 by a throwaway key, as sign-file appends it), made once per run."""
    if _MODS:
        return _MODS
    d = tempfile.mkdtemp()
    ko = _elf_module(d, 'rmcp', '0.1.0', 'F1C7A0DE5EED0FF1CE0DEAD')
    subprocess.run(['openssl', 'req', '-new', '-x509', '-nodes', '-newkey', 'rsa:2048', '-days', '2',
                    '-keyout', os.path.join(d, 'k.pem'), '-out', os.path.join(d, 'c.pem'),
                    '-subj', '/CN=rmcp fixture key/'], check=True, capture_output=True)
    subprocess.run(['openssl', 'smime', '-sign', '-nocerts', '-noattr', '-binary', '-in', ko,
                    '-outform', 'DER', '-signer', os.path.join(d, 'c.pem'), '-inkey',
                    os.path.join(d, 'k.pem'), '-md', 'sha256', '-out', os.path.join(d, 'sig')],
                   check=True)
    plain = open(ko, 'rb').read()
    sig = open(os.path.join(d, 'sig'), 'rb').read()
    # struct module_signature: algo, hash, id_type=PKEY_ID_PKCS7 (2), signer_len,
    # key_id_len, pad[3], be32 sig_len; then the magic
    signed = plain + sig + struct.pack('>BBBBBxxxI', 0, 0, 2, 0, 0, len(sig)) + \
        b'~Module signature appended~\n'
    _MODS.update({False: plain, True: signed})
    for k in (False, True):
        for z, cmd in (('.xz', ['xz', '-c']), ('.zst', ['zstd', '-q', '-c'])):
            _MODS[(k, z)] = subprocess.run(cmd, input=_MODS[k], capture_output=True, check=True).stdout
    shutil.rmtree(d)
    return _MODS

def module_file(root, rel, signed, where='updates/dkms', z=''):
    mods = _modules()
    body = mods[(signed, z)] if z else mods[signed]
    w(root, 'lib/modules/%s/%s/rmcp.ko%s' % (rel, where, z), body, 'wb')

def amdgpu_module_file(root, rel, where='updates/dkms'):
    """An amdgpu-dkms install: a tiny ELF named amdgpu with a .modinfo, xz-compressed,
    and the modules.dep / modules.dep.bin depmod writes for it (libkmod reads the .bin)."""
    d = tempfile.mkdtemp()
    ko = _elf_module(d, 'amdgpu', '6.10.5', '0123456789ABCDEF0123456')
    body = subprocess.run(['xz', '-c', ko], capture_output=True, check=True).stdout
    w(root, 'lib/modules/%s/%s/amdgpu.ko.xz' % (rel, where), body, 'wb')
    shutil.rmtree(d)
    subprocess.run(['depmod', '-b', root, rel], check=True, capture_output=True)
    mods = os.path.join(root, 'lib/modules', rel)
    for n in os.listdir(mods):
        if n.startswith('modules.') and n not in ('modules.dep', 'modules.dep.bin'):
            os.remove(os.path.join(mods, n))

def kfd(root, nodes):
    """nodes: list of (bdf or None for a CPU, gfx_target_version)."""
    for i, (bdf, gfxv) in enumerate(nodes):
        props = ['cpu_cores_count %d' % (0 if bdf else 16), 'simd_count %d' % (0 if not bdf else 80)]
        if bdf:
            dom, bus, rest = bdf.split(':')
            dev, fn = rest.split('.')
            loc = (int(bus, 16) << 8) | (int(dev, 16) << 3) | int(fn)
            props += ['gfx_target_version %d' % gfxv, 'location_id %d' % loc, 'domain %d' % int(dom, 16)]
        else:
            props += ['gfx_target_version 0', 'location_id 0', 'domain 0']
        w(root, 'sys/class/kfd/kfd/topology/nodes/%d/properties' % i, '\n'.join(props) + '\n')

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
# /dev/kfd as this user's session sees it (dev/kfd: the open error, "" = read-write)
for name, answer, desc in (
        ('kfd-no-access', 'Permission denied\n', 'RX 5700 XT covered, but this user cannot open /dev/kfd '
         '(not in its group in this session): ROCm cannot use the GPU; a warning. Exit 0.'),
        ('kfd-missing', 'No such file or directory\n', 'RX 5700 XT covered, no /dev/kfd (a container '
         'without it): ROCm cannot run; a warning. Exit 0.')):
    r = fixture(name, desc)
    system(r, K612)
    amdgpu(r)
    rx5700(r)
    rmcp(r)
    rdev(r, B1, '1002:731f', 'NAVI10', 'gfx1010', calls=48211)
    module_file(r, K612, True)
    w(r, 'dev/kfd', answer)
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
rdev(r, B1, '1002:731f', 'NAVI10', 'gfx1010', policy='pending', noretry='unknown', frag='unknown')
# 7
r = fixture('rmcp-degraded', 'RX 6800, rmcp armed but its kretprobe missed calls (degraded); '
            'the render node is not accessible to this user. Exit 1.')
system(r, K612)
amdgpu(r)
rx6800(r, error='open /dev/dri/renderD128: Permission denied', hwip=False)
rmcp(r, state='degraded', reason='kretprobe missed calls', nmissed=12)
rdev(r, B1, '1002:73bf', 'SIENNA_CICHLID', 'gfx1030', calls=90321)
# 8
r = fixture('rmcp-too-late', 'RX 6800: rmcp loaded after amdgpu had initialised the GPU (policy too-late), but '
            'amdgpu\'s own values (noretry auto = 1 on RDNA2, vm_fragment_size auto = 9) equal the policy: info only. Exit 0.')
system(r, K612)
amdgpu(r)
rx6800(r)
rmcp(r)
rdev(r, B1, '1002:73bf', 'SIENNA_CICHLID', 'gfx1030', policy='too-late', noretry='unknown', frag='unknown', calls=211)
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
            'apu=1 is set. rmcp-probe prints the options line for modprobe.d. Exit 1.')
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


# ---- issue 12: each defect, a machine that shows it ----
R67 = (0x73df, 'AMD Radeon RX 6700 XT')

def rx6700(r, bdf=B1, node='/dev/dri/renderD128'):
    pci(r, bdf, 0x1002, 0x73df, 0x1da2, 0xe445, 0xc1, gc=(10, 3, 2))
    drm(r, bdf, 0x73df, node, R67[1], ipv=(10, 3, 2))

def armed_rx6800(r, k=K612):
    system(r, k)
    amdgpu(r)
    rx6800(r)
    rmcp(r)
    rdev(r, B1, '1002:73bf', 'SIENNA_CICHLID', 'gfx1030', calls=10)

r = fixture('render-no-access', 'RX 6800 covered; this user may open /dev/kfd but not the render node '
            '/dev/dri/renderD128 (not in the render group in this session): ROCm cannot use the GPU; a warning, '
            'as for /dev/kfd. Exit 0.')
system(r, K612)
amdgpu(r)
rx6800(r, error='open /dev/dri/renderD128: Permission denied')
rmcp(r)
rdev(r, B1, '1002:73bf', 'SIENNA_CICHLID', 'gfx1030', calls=10)
w(r, 'dev/kfd', '')
w(r, 'dev/dri/renderD128', 'Permission denied\n')

r = fixture('pci-ids-damaged', 'RX 6800 covered, render node not accessible (so names come from pci.ids), and a '
            'pci.ids with a malformed line: libpci\'s error callback must not crash the probe. Exit 0.')
system(r, K612)
amdgpu(r)
rx6800(r, error='open /dev/dri/renderD128: Permission denied', hwip=False)
rmcp(r)
rdev(r, B1, '1002:73bf', 'SIENNA_CICHLID', 'gfx1030', calls=10)
w(r, 'usr/share/misc/pci.ids', PCIIDS + '\tzzzz this line is not pci.ids\n')

r = fixture('many-findings', 'rmcp refused on 5.10 and 8 RX 5700 XTs whose rmcp device files are damaged: dozens '
            'of warnings must not push the problems out of the report. Exit 1.')
system(r, '5.10.0-30-amd64')
amdgpu(r)
rmcp(r, state='refused', reason='kernel 5.10 is older than the oldest supported ABI (6.1)', abi='none',
     selftest='not-run', nmissed='x', noretry='x', frag='x', enable='x', apu='x')
for i in range(8):
    b = '0000:%02x:00.0' % (0x10 + i)
    pci(r, b, 0x1002, 0x731f, 0x1da2, 0xe409, 0xc1, gc=(10, 1, 10))
    drm(r, b, 0x731f, '/dev/dri/renderD%d' % (128 + i), XT[1], ipv=(10, 1, 10))
    rdev(r, b, '1002:731f\x01', 'NAVI10\x01', 'gfx1010\x01', matched='?', policy='?', noretry='?', frag='?',
         calls='?', seen='?', rewritten='?', rejected='?')

r = fixture('rmcp-disabled', 'RX 6800, rmcp loaded with enable=N (state disabled): nothing is covered. Exit 1.')
system(r, K612)
amdgpu(r)
rx6800(r)
rmcp(r, state='disabled', enable='N')
rdev(r, B1, '1002:73bf', 'SIENNA_CICHLID', 'gfx1030', calls=3)

r = fixture('matched-unknown', 'RX 6800, rmcp armed, but its matched file holds a word this rmcp-probe does not know. Exit 1.')
armed_rx6800(r)
w(r, 'sys/module/rmcp/devices/%s/matched' % B1, 'maybe\n')

r = fixture('rig-20-gpus', 'A 20-GPU mining-style rig: 16 RX 6800 covered, 4 RX 6700 XT excluded by exclude_ids. '
            'No GPU may be dropped from the count. Exit 1.')
system(r, K612)
amdgpu(r)
rmcp(r, exclude='1002:73df')
for i in range(20):
    b = '0000:%02x:00.0' % (0x20 + i)
    if i < 16:
        pci(r, b, 0x1002, 0x73bf, 0x1002, 0x0e3a, 0xc3, gc=(10, 3, 0))
        drm(r, b, 0x73bf, '/dev/dri/renderD%d' % (128 + i), R68[1], ipv=(10, 3, 0))
        rdev(r, b, '1002:73bf', 'SIENNA_CICHLID', 'gfx1030', calls=i)
    else:
        pci(r, b, 0x1002, 0x73df, 0x1da2, 0xe445, 0xc1, gc=(10, 3, 2))
        drm(r, b, 0x73df, '/dev/dri/renderD%d' % (128 + i), R67[1], ipv=(10, 3, 2))
        rdev(r, b, '1002:73df', 'NAVY_FLOUNDER', 'gfx1031', matched='exclude_ids', policy='skipped',
             noretry=-1, frag=-1)

r = fixture('rx6700xt-hsa-compatible', 'RX 6700 XT (gfx1031) covered with HSA_OVERRIDE_GFX_VERSION=10.3.0, what '
            'these owners use and ROCm runs: same ISA family, info only. Exit 0.')
system(r, K612)
amdgpu(r)
rx6700(r)
rmcp(r)
rdev(r, B1, '1002:73df', 'NAVY_FLOUNDER', 'gfx1031', calls=5)
w(r, 'environ', SPDX + 'HSA_OVERRIDE_GFX_VERSION=10.3.0\n')

r = fixture('hsa-per-node', 'RX 5700 XT (KFD node 1) and RX 6700 XT (node 2), both covered; '
            'HSA_OVERRIDE_GFX_VERSION_1=10.1.0 for the RDNA1 card, HSA_OVERRIDE_GFX_VERSION=10.3.0 for the rest: '
            'the runtime reads the per-node variable first, so nothing is wrong. Exit 0.')
system(r, K612)
amdgpu(r)
rx5700(r)
B3 = '0000:0b:00.0'
rx6700(r, bdf=B3, node='/dev/dri/renderD129')
rmcp(r)
rdev(r, B1, '1002:731f', 'NAVI10', 'gfx1010', calls=5)
rdev(r, B3, '1002:73df', 'NAVY_FLOUNDER', 'gfx1031', calls=5)
kfd(r, [(None, 0), (B1, 100100), (B3, 100301)])
w(r, 'environ', SPDX + 'HSA_OVERRIDE_GFX_VERSION=10.3.0\nHSA_OVERRIDE_GFX_VERSION_1=10.1.0\n'
  'HSA_OVERRIDE_GFX_VERSION_7=10.3.0\n')

r = fixture('hsa-trailing-space', 'RX 6800 covered with HSA_OVERRIDE_GFX_VERSION="10.3.0 " (a trailing blank): the '
            'runtime rejects it and ROCm does not start. Exit 1.')
armed_rx6800(r)
w(r, 'environ', SPDX + 'HSA_OVERRIDE_GFX_VERSION=10.3.0 \n')

r = fixture('hsa-non-utf8', 'RX 6800 covered, HSA_OVERRIDE_GFX_VERSION=$\'10.3.\\xff\': the JSON must stay valid '
            'UTF-8 and the value is rejected. Exit 1.')
armed_rx6800(r)
w(r, 'environ', SPDX.encode() + b'HSA_OVERRIDE_GFX_VERSION=10.3.\xff\n', 'wb')

r = fixture('rx5700xt-too-late', 'RX 5700 XT on 6.12: rmcp loaded after amdgpu, and amdgpu\'s auto noretry is 0 on '
            'RDNA1 before 7.x: the policy really is missing. Exit 1.')
system(r, K612)
amdgpu(r)
rx5700(r)
rmcp(r)
rdev(r, B1, '1002:731f', 'NAVI10', 'gfx1010', policy='too-late', noretry='unknown', frag='unknown', calls=9)

r = fixture('rx6800-5.15-too-late', 'RX 6800 on Ubuntu 22.04\'s 5.15: rmcp loaded after amdgpu. Before 5.18 '
            'amdgpu\'s auto noretry is 0 on all of gfx10, RDNA2 included: retry faults are enabled and the '
            'policy really is missing. Exit 1.')
system(r, '5.15.0-91-generic')
amdgpu(r)
rx6800(r)
rmcp(r, abi='6.1: gmc_v10_0_get_vm_pte(adev, mapping, flags)')
rdev(r, B1, '1002:73bf', 'SIENNA_CICHLID', 'gfx1030', policy='too-late', noretry='unknown', frag='unknown', calls=17)

r = fixture('amdgpu-firmware-missing', 'RX 5700 XT in rmcp\'s table, amdgpu loaded but the GPU has no driver: the '
            'kernel log says its firmware is missing. The table is not to blame. Exit 1.')
system(r, K612)
amdgpu(r)
pci(r, B1, 0x1002, 0x731f, 0x1da2, 0xe409, 0xc1, driver=None)
rmcp(r, state='idle', reason='no matched GPU', selftest='not-run')
w(r, 'dmesg', '[    3.101234] [drm] amdgpu kernel modesetting enabled.\n'
  '[    3.104567] amdgpu 0000:03:00.0: enabling device (0006 -> 0007)\n'
  '[    3.120001] amdgpu 0000:03:00.0: Direct firmware load for amdgpu/navi10_sos.bin failed with error -2\n'
  '[    3.120010] amdgpu 0000:03:00.0: amdgpu: failed to init sos firmware\n'
  '[    3.120500] [drm:amdgpu_device_init [amdgpu]] *ERROR* sw_init of IP block <psp> failed -2\n'
  '[    3.121000] amdgpu 0000:03:00.0: amdgpu: Fatal error during GPU init\n'
  '[    3.130000] amdgpu: probe of 0000:03:00.0 failed with error -2\n')

r = fixture('vfio-passthrough', 'RX 6800 bound to vfio-pci for a VM; amdgpu loaded for nothing else. amdgpu\'s '
            'parameters do not apply to it and nothing is wrong on this host. Exit 3.')
system(r, K612)
amdgpu(r)
pci(r, B1, 0x1002, 0x73bf, 0x1002, 0x0e3a, 0xc3, driver='vfio-pci', gc=(10, 3, 0))

r = fixture('rx7800xt-gfx1101', 'RX 6800 covered next to an RX 7800 XT (GC 11.0.3, which KFD names gfx1101). Exit 0.')
armed_rx6800(r, k=K72)
pci(r, B2, 0x1002, 0x747e, 0x1da2, 0xe471, 0xc8, gc=(11, 0, 3))
drm(r, B2, 0x747e, '/dev/dri/renderD129', 'AMD Radeon RX 7800 XT', family=145, ipv=(11, 0, 3))
rdev(r, B2, '1002:747e', '', '', matched='no', policy='skipped', noretry=-1, frag=-1)

r = fixture('dkms-xz-signed', 'RX 6800, Secure Boot on, rmcp not loaded; dkms installed a signed, xz-compressed '
            'rmcp.ko.xz listed in modules.dep: libkmod reads its signature. Exit 1 (not loaded).')
system(r, K612, sb=True, lockdown='integrity', sig=True)
amdgpu(r)
rx6800(r)
module_file(r, K612, True, z='.xz')
w(r, 'lib/modules/%s/modules.dep' % K612, 'updates/dkms/rmcp.ko.xz:\n')

r = fixture('dkms-zst-unsigned', 'RX 6800, Secure Boot on, rmcp not loaded; an unsigned zstd-compressed rmcp.ko.zst: '
            'loading it will fail with "Key was rejected by service". Exit 1.')
system(r, K612, sb=True, lockdown='integrity', sig=True)
amdgpu(r)
rx6800(r)
module_file(r, K612, False, z='.zst')

r = fixture('sudo-user-env', 'RX 5700 XT covered; rmcp-probe runs under sudo: root\'s environment has no override, '
            'but the user\'s (what sudo was started with) has HSA_OVERRIDE_GFX_VERSION=10.3.0. Exit 1.')
system(r, K612)
amdgpu(r)
rx5700(r)
rmcp(r)
rdev(r, B1, '1002:731f', 'NAVI10', 'gfx1010', calls=5)
w(r, 'environ', SPDX + 'SUDO_USER=alice\nSUDO_UID=1000\nPATH=/usr/sbin:/usr/bin\n')
w(r, 'sudo-environ', SPDX + 'HSA_OVERRIDE_GFX_VERSION=10.3.0\nPATH=/usr/bin\n')

r = fixture('sudo-no-user-env', 'RX 6800 covered under sudo, and the user\'s environment cannot be read: say that '
            'the override was not checked. Exit 0 (a warning).')
armed_rx6800(r)
w(r, 'environ', SPDX + 'SUDO_USER=alice\nSUDO_UID=1000\n')

# ---- --faults: one kernel log per generation of amdgpu's fault format ----
def block_510(ts, bdf, pasid, proc, pid, tid, addr, status, tab='\t'):
    d = 'amdgpu %s: ' % bdf
    st = status
    f = lambda sh, m: (st & m) >> sh
    lines = [
        '[gfxhub] page fault (src_id:0 ring:24 vmid:%d pasid:%d, for process %s pid %d thread %s pid %d)'
        % (f(20, 0xf00000), pasid, proc, pid, proc, tid),
        '  in page starting at address 0x%016x from client 27' % addr,
        'GCVM_L2_PROTECTION_FAULT_STATUS:0x%08X' % st,
        '%s Faulty UTCL2 client ID: 0x%x' % (tab, f(9, 0x3fe00)),
        '%s MORE_FAULTS: 0x%x' % (tab, f(0, 1)), '%s WALKER_ERROR: 0x%x' % (tab, f(1, 0xe)),
        '%s PERMISSION_FAULTS: 0x%x' % (tab, f(4, 0xf0)), '%s MAPPING_ERROR: 0x%x' % (tab, f(8, 0x100)),
        '%s RW: 0x%x' % (tab, f(18, 0x40000)),
    ]
    return ''.join('[%12.6f] %s%s\n' % (ts + i * 0.000004, d, l) for i, l in enumerate(lines))

CLIENTS = ['CB/DB', 'Reserved', 'GE1', 'GE2', 'CPF', 'CPC', 'CPG', 'RLC', 'TCP', 'SQC (inst)', 'SQC (data)',
           'SQG', 'Reserved', 'SDMA0', 'SDMA1', 'GCR', 'SDMA2', 'SDMA3']

def block_status(bdf, status, tab='\t', mm=False):
    f = lambda sh, m: (status & m) >> sh
    cid = f(9, 0x3fe00)
    name = CLIENTS[cid] if cid < len(CLIENTS) else 'unknown'
    return [
        '%sVM_L2_PROTECTION_FAULT_STATUS:0x%08X' % ('MM' if mm else 'GC', status),
        '%s Faulty UTCL2 client ID: %s (0x%x)' % (tab, name, cid),
        '%s MORE_FAULTS: 0x%x' % (tab, f(0, 1)), '%s WALKER_ERROR: 0x%x' % (tab, f(1, 0xe)),
        '%s PERMISSION_FAULTS: 0x%x' % (tab, f(4, 0xf0)), '%s MAPPING_ERROR: 0x%x' % (tab, f(8, 0x100)),
        '%s RW: 0x%x' % (tab, f(18, 0x40000)),
    ]

def st(cid, rw=0, vmid=8, perm=3, mapping=0, more=1):
    return (vmid << 20) | (rw << 18) | (cid << 9) | (mapping << 8) | (perm << 4) | more

ROCR = ('Memory access fault by GPU node-%d (Agent handle: 0x55d0c0a1b2c0) on address 0x%x. '
        'Reason: Page not present or supervisor privilege.\n')

r = fixture('faults-5.10', 'RX 5700 XT on Debian 11 (5.10): three identical TCP read faults from python3 in the 5.10 '
            'format ("for process" in the header, "from client 27", a numeric UTCL2 client ID, tabs), then ROCr\'s '
            'line for KFD node 1. --faults groups them and maps node 1 to the card. Exit 1 (rmcp refused).',
            args='--faults')
system(r, '5.10.0-30-amd64')
amdgpu(r, noretry=1)
rx5700(r)
rmcp(r, state='refused', reason='kernel 5.10 is older than the oldest supported ABI (6.1)', abi='none', selftest='not-run')
rdev(r, B1, '1002:731f', 'NAVI10', 'gfx1010', policy='pending', noretry='unknown', frag='unknown')
kfd(r, [(None, 0), (B1, 100100)])
log = '[  812.004101] [drm] PCIE GART of 512M enabled.\n'
for i in range(3):
    log += block_510(1501.25 + i * 0.01, B1, 32771, 'python3', 4242, 4250, 0x7f3a1c200000, st(8))
w(r, 'dmesg', log + ROCR % (1, 0x7f3a1c2003f0))

r = fixture('faults-6.1', 'RX 6800 on Debian 12 (6.1), log saved with journalctl -k: a NULL-pointer read by SQC (data) '
            'in the 6.1 format ("from client 0x1b (UTCL2)", named client IDs). Exit 0.', args='--faults')
armed_rx6800(r, k=K61)
log = ''
for i, t in enumerate(('17:55:01', '17:55:01', '17:55:02')):
    lines = ['[gfxhub] page fault (src_id:0 ring:24 vmid:9 pasid:32772, for process hip_null_test pid 5120 '
             'thread hip_null_test pid 5120)',
             '  in page starting at address 0x0000000000000000 from client 0x1b (UTCL2)'] + \
        block_status(B1, st(10, vmid=9))
    log += ''.join('Dec 02 %s rig kernel: amdgpu %s: %s\n' % (t, B1, l) for l in lines)
w(r, 'dmesg', 'Dec 02 17:50:00 rig kernel: Linux version 6.1.0-56-amd64\n' + log)

r = fixture('faults-6.12', 'RX 6800 on Debian 13 (6.12), dmesg -T: the process on its own line (" in process"), an '
            'SDMA write to freed memory, then a ring timeout and a GPU reset. Exit 0.', args='--faults')
armed_rx6800(r)
hdr = '[Tue Dec  2 18:01:%02d 2026] amdgpu %s: '
lines = ['[gfxhub] page fault (src_id:0 ring:8 vmid:5 pasid:32773)',
         ' in process llama-server pid 6100 thread llama-server pid 6111',
         '  in page starting at address 0x0000740012345000 from client 0x1b (UTCL2)'] + \
    block_status(B1, st(13, rw=1, vmid=5, perm=5, mapping=0, more=0), tab='    ')
log = ''.join(hdr % (5, B1) + l + '\n' for l in lines)
log += hdr % (15, B1) + '[drm:amdgpu_job_timedout [amdgpu]] *ERROR* ring sdma0 timeout, signaled seq=4412, emitted seq=4415\n'
log += hdr % (15, B1) + 'GPU reset begin!\n'
log += hdr % (17, B1) + 'GPU reset(2) succeeded!\n'
w(r, 'dmesg', log)

r = fixture('faults-7.x', 'RX 6800 on 7.2, raw /dev/kmsg records, with a block in gmc_v9_0.c\'s shape ("[gfxhub0] '
            'no-retry page fault", "from IH client 0x1b (UTCL2)") and 7.2\'s " Process" line: gfx10 itself prints '
            '"[gfxhub] page fault" and "from client 0x1b (UTCL2)" on 7.2 (test_faults.c format_7_2_gfx10), but '
            'rmcp-probe reads every shape on every kernel. An instruction fetch from an unmapped page. Exit 0.',
            args='--faults')
armed_rx6800(r, k=K72)
lines = ['[gfxhub0] no-retry page fault (src_id:0 ring:24 vmid:3 pasid:32775)',
         ' Process pt_main_thread pid 7001 thread pt_main_thread pid 7013',
         '  in page starting at address 0x00007ffe00000000 from IH client 0x1b (UTCL2)'] + \
    block_status(B1, st(9, vmid=3, perm=4, mapping=1))
w(r, 'dmesg', ''.join('3,%d,%d,-;amdgpu %s: %s\n SUBSYSTEM=pci\n DEVICE=+pci:%s\n'
                      % (900 + i, 92000111000 + i * 5, B1, l, B1) for i, l in enumerate(lines)))

r = fixture('faults-interleaved', 'Two RX 6800s whose fault blocks interleave line by line; the second GPU\'s status '
            'reads 0xFFFFFFFF (it fell off the bus). Exit 0.', args='--faults')
armed_rx6800(r)
B4 = '0000:0b:00.0'
rx6800(r, bdf=B4)
rdev(r, B4, '1002:73bf', 'SIENNA_CICHLID', 'gfx1030', calls=10)
a = ['[gfxhub] page fault (src_id:0 ring:24 vmid:8 pasid:32780, for process train.py pid 8100 thread train.py pid 8100)',
     '  in page starting at address 0x00007f0000aa0000 from client 0x1b (UTCL2)'] + block_status(B1, st(8))
b = ['[gfxhub] page fault (src_id:0 ring:24 vmid:2 pasid:32790, for process train.py pid 8101 thread train.py pid 8101)',
     '  in page starting at address 0x00007f0000bb0000 from client 0x1b (UTCL2)',
     'GCVM_L2_PROTECTION_FAULT_STATUS:0xFFFFFFFF', '\t Faulty UTCL2 client ID: unknown (0x1ff)']
log = ''
for i in range(max(len(a), len(b))):
    if i < len(a):
        log += '[ 2000.%06d] amdgpu %s: %s\n' % (i * 2, B1, a[i])
    if i < len(b):
        log += '[ 2000.%06d] amdgpu %s: %s\n' % (i * 2 + 1, B4, b[i])
log += '[ 2001.000000] amdgpu %s: GPU reset begin!\n' % B4
w(r, 'dmesg', log)

# ---- the ROCm view ----
def igpu_machine(r):
    """A covered RX 6800 next to a Rembrandt iGPU (gfx1035, apu=0): KFD sees both."""
    system(r, K612)
    amdgpu(r)
    w(r, 'dev/kfd', '')
    rx6800(r)
    pci(r, BA, 0x1002, 0x1681, 0x17aa, 0x3a4b, 0xc8, gc=(10, 3, 3))
    drm(r, BA, 0x1681, '/dev/dri/renderD129', 'AMD Radeon 680M', family=146, apu=True, ipv=(10, 3, 3))
    rmcp(r)
    rdev(r, B1, '1002:73bf', 'SIENNA_CICHLID', 'gfx1030', calls=10)
    rdev(r, BA, '1002:1681', 'YELLOW_CARP', 'gfx1035', matched='apu-disabled', policy='skipped',
         noretry=-1, frag=-1)
    kfd(r, [(None, 0), (B1, 100300), (BA, 100305)])

r = fixture('igpu-trap', 'Ryzen with a Rembrandt iGPU (gfx1035, rmcp\'s default apu=0) next to a covered RX 6800: '
            'ROCm sees two devices; say how to hide the iGPU instead of an rmcp problem. Exit 0.')
igpu_machine(r)

r = fixture('igpu-hidden', 'The igpu-trap machine with ROCR_VISIBLE_DEVICES=0 (the RX 6800 only) in the '
            'environment: the iGPU is said to be hidden from ROCm, no advice. Exit 0.')
igpu_machine(r)
w(r, 'environ', SPDX + 'ROCR_VISIBLE_DEVICES=0\n')

r = fixture('amdgpu-dkms', 'RX 5700 XT with AMD\'s amdgpu-dkms (out-of-tree, taint OE) on 6.1; amdgpu.noretry=0 set in '
            '/etc/modprobe.d/amdgpu.conf, which the noretry finding names. Exit 0 (a warning).')
system(r, K61)
amdgpu(r, noretry=0)
w(r, 'sys/module/amdgpu/taint', 'OE\n')
w(r, 'sys/module/amdgpu/version', '6.10.5\n')
w(r, 'sys/module/amdgpu/srcversion', '0123456789ABCDEF0123456\n')
w(r, 'etc/modprobe.d/amdgpu.conf', '# from a forum post\noptions amdgpu noretry=0\n')
rx5700(r)
rmcp(r, noretry=-1, abi='6.1: gmc_v10_0_get_vm_pte(adev, mapping, flags)')
rdev(r, B1, '1002:731f', 'NAVI10', 'gfx1010', noretry=-1, calls=77)
amdgpu_module_file(r, K61)
# the firmware amdgpu loaded, as sysfs prints it (amdgpu_firmware_info's "0x%08x")
for name, v in (('ce', 0x25), ('me', 0x42), ('mec', 0x95), ('mec2', 0x95), ('pfp', 0x62),
                ('rlc', 0x6b), ('sdma', 0x23), ('sdma2', 0x23), ('smc', 0x2a3800),
                ('sos', 0x210c64), ('vcn', 0x1104800d)):
    w(r, 'sys/bus/pci/devices/%s/fw_version/%s_fw_version' % (B1, name), '0x%08x\n' % v)

r = fixture('amdgpu-not-loaded', 'RX 6800 with no driver: amdgpu is not loaded (blacklisted on the kernel command '
            'line); rmcp is loaded and armed but lists no device. The problem is amdgpu, not rmcp\'s table. Exit 1.')
system(r, K612)
w(r, 'proc/cmdline', 'BOOT_IMAGE=/boot/vmlinuz-6.12.57+deb13-amd64 ro quiet modprobe.blacklist=amdgpu\n')
pci(r, B1, 0x1002, 0x73bf, 0x1002, 0x0e3a, 0xc3, driver=None, gc=(10, 3, 0))
rmcp(r)

r = fixture('runtime-suspended', 'RX 6800 runtime-suspended (power/runtime_status): libdrm is not asked, so the '
            'GPU is not woken; GC from sysfs, name from pci.ids. Covered. Exit 0.')
system(r, K612)
amdgpu(r)
pci(r, B1, 0x1002, 0x73bf, 0x1002, 0x0e3a, 0xc3, gc=(10, 3, 0))
w(r, 'sys/bus/pci/devices/%s/power/runtime_status' % B1, 'suspended\n')
w(r, 'drm/%s/device' % B1, SPDX + '# libdrm lists it; the render node is not opened\n'
  'vendor_id=0x1002\ndevice_id=0x73bf\nrender_node=/dev/dri/renderD128\nruntime_status=suspended\n')
rmcp(r)
rdev(r, B1, '1002:73bf', 'SIENNA_CICHLID', 'gfx1030', calls=5)

r = fixture('noretry-cmdline', 'RX 6800 covered, amdgpu.noretry=0 on the kernel command line: the amdgpu '
            'line says where it was set; rmcp\'s policy (noretry=1) is in force for the GPU, so no warning. Exit 0.')
system(r, K612)
amdgpu(r, noretry=0)
w(r, 'proc/cmdline', 'BOOT_IMAGE=/boot/vmlinuz-6.12.57+deb13-amd64 ro quiet amdgpu.noretry=0\n')
rx6800(r)
rmcp(r)
rdev(r, B1, '1002:73bf', 'SIENNA_CICHLID', 'gfx1030', calls=5)
