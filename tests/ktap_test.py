#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tests of tests/ktap.py, the one parser of rmcp's results (step "bed").

Prints one KTAP line per test case, "ok N bed - ktap.CASE".
"""

import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ktap  # noqa: E402  pylint: disable=wrong-import-position


class ParseLine(unittest.TestCase):
    def test_named_result(self):
        r = ktap.parse_line("ok 7 module 6.1.0-57-amd64 layout_evidence\n", "module")
        self.assertEqual((r.status, r.step, r.kernel, r.name), ("pass", "module",
                                                                "6.1.0-57-amd64", "layout_evidence"))

    def test_failure_keeps_its_one_reason(self):
        r = ktap.parse_line("not ok 3 lint 7.2.13+deb14-amd64 sparse # x.c:1: error: y", "lint")
        self.assertEqual((r.status, r.reason), ("fail", "x.c:1: error: y"))

    def test_skip(self):
        r = ktap.parse_line("ok 1 install 5.10.0-46-amd64 signing # SKIP no MOK", "install")
        self.assertEqual((r.status, r.reason), ("skip", "no MOK"))

    def test_no_kernel(self):
        r = ktap.parse_line("ok 2 qemu - accel_override", "qemu")
        self.assertEqual((r.kernel, r.name), ("-", "accel_override"))

    def test_misnamed_line_is_a_failure(self):
        r = ktap.parse_line("ok - 6.1.0-57-amd64 amdgpu_loads", "qemu")
        self.assertEqual(r.status, "fail")
        self.assertIn("not named", r.reason)

    def test_other_lines_are_not_results(self):
        for line in ["# comment", "KTAP version 1", "1..3", "okay", "  ok 1 x - y", ""]:
            self.assertIsNone(ktap.parse_line(line, "x"), line)

    def test_renumbered_line(self):
        r = ktap.Result("skip", "debug", "7.2.13-rmcp-debug", "failslab_load", "no failslab")
        self.assertEqual(r.line(41), "ok 41 debug 7.2.13-rmcp-debug failslab_load # SKIP no failslab")


class Guest(unittest.TestCase):
    def log(self, text):
        f = tempfile.NamedTemporaryFile("w", delete=False, suffix=".log")
        f.write(text)
        f.close()
        self.addCleanup(os.unlink, f.name)
        return f.name

    def test_records_repeats_and_done(self):
        path = self.log("[    1.000000] RMCP-TAP: ok a\r\n"
                        "noise RMCP-TAP: ok not-a-record\n"
                        "[    2.000000] RMCP-TAP: not ok b # why\n"
                        "[    2.000000] RMCP-TAP: not ok b # why\n"   # dmesg printed it again
                        "[    3.000000] RMCP-TIME: amdgpu 1.5\n"
                        "[    4.000000] RMCP-DONE rc=0\n")
        results, times, done = ktap.from_guest(path, "module", "6.1.0-57-amd64")
        self.assertEqual([(r.name, r.status) for r in results], [("a", "pass"), ("b", "fail")])
        self.assertEqual(times, ["amdgpu 1.5"])
        self.assertEqual(done, "rc=0")

    def test_no_done_when_the_guest_died(self):
        _, _, done = ktap.from_guest(self.log("[ 1.0] RMCP-TAP: ok a\n"), "qemu", "x")
        self.assertIsNone(done)


class Matrix(unittest.TestCase):
    def test_a_failure_unproves_the_kernel(self):
        res = [ktap.Result("pass", "matrix", "A-1", "build"),
               ktap.Result("fail", "module", "A-1", "x", "bad"),
               ktap.Result("pass", "matrix", "B-1", "build"),
               ktap.Result("skip", "module", "B-1", "y", "n/a"),
               ktap.Result("pass", "kunit", "-", "z")]
        md = ktap.support_matrix(res, ["A-1", "B-1"], "/nonexistent", "0", "c", "d")
        rows = {l.split(" | ")[0][2:]: l for l in md.splitlines() if l.startswith("| A-1") or
                l.startswith("| B-1")}
        self.assertTrue(rows["A-1"].endswith("| **no** |"), rows["A-1"])
        self.assertIn("**1 failed**", rows["A-1"])
        self.assertTrue(rows["B-1"].endswith("| yes |"), rows["B-1"])
        self.assertIn("0 / 1 (1)", rows["B-1"])
        self.assertNotIn("kunit", md.split("\n\n")[2])


def main():
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    n = 0
    ok = True

    class Result(unittest.TestResult):
        def stopTest(self, test):
            nonlocal n, ok
            super().stopTest(test)
            n += 1
            name = "ktap." + test.id().split(".", 1)[1]
            bad = [e for t, e in self.failures + self.errors if t is test]
            if bad:
                ok = False
                why = bad[0].strip().splitlines()[-1]
                print(ktap.Result("fail", "bed", "-", name, why[:200]).line(n), flush=True)
            else:
                print(ktap.Result("pass", "bed", "-", name).line(n), flush=True)

    suite.run(Result())
    return 0 if ok and n else 1


if __name__ == "__main__":
    sys.exit(main())
