import Foundation
import XCTest

/// Where reports go: a device, FIFO or symbolic link named by `--output`, and a full disk.
final class ReportTargetTests: XCTestCase {
    private func input() throws -> URL {
        let input = try temporaryFolder(self).appendingPathComponent("good.yaml")
        try Data(FailClosedReportTests.goodInput.utf8).write(to: input)
        return input
    }

    /// A write that fails is an error in words, exit 2, and the device written to stays a device
    /// (it was renamed over before). The device is a private copy of /dev/full (major 1, minor 7),
    /// so that a regression cannot replace the system's.
    func testAFullDeviceIsAnErrorInWords() throws {
        let device = try temporaryFolder(self).appendingPathComponent("full").path
        guard mknod(device, S_IFCHR | 0o666, dev_t(1 << 8 | 7)) == 0 else { throw XCTSkip("cannot make a device node here (not root)") }
        let result = try airlock(["check", "--no-builtin", "--policies", passingPolicy, "--output", "sarif=\(device)", try input().path])
        XCTAssertEqual(result.exitCode, 2, result.stdout + result.stderr)
        XCTAssertTrue(result.stderr.contains("cannot write the report \(device): No space left on device"), result.stderr)
        XCTAssertEqual(Self.fileType(device), S_IFCHR)
    }

    /// Standard output on a full disk was a crash (`FileHandle.write` traps).
    func testStandardOutputOnAFullDeviceIsAnErrorInWords() throws {
        guard let full = FileHandle(forWritingAtPath: "/dev/full") else { throw XCTSkip("no /dev/full on this system") }
        let result = try airlock(["check", "--no-builtin", "--policies", passingPolicy, "--format", "json", try input().path], standardOutput: full)
        XCTAssertEqual(result.exitCode, 2, result.stderr)
        XCTAssertTrue(result.stderr.contains("cannot write the report <stdout>: No space left on device"), result.stderr)
    }

    /// The other commands' output too, `--help` and `--version` included: `print` kept a failed
    /// write to itself and exited 0.
    func testListingsOnAFullDeviceAreAnErrorInWords() throws {
        for arguments in [["policy", "list"], ["inventory", try input().path], ["--version"], ["check", "--help"]] {
            guard let full = FileHandle(forWritingAtPath: "/dev/full") else { throw XCTSkip("no /dev/full on this system") }
            let result = try airlock(arguments, standardOutput: full)
            XCTAssertEqual(result.exitCode, 2, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("cannot write the report <stdout>: No space left on device"), result.stderr)
        }
    }

    /// A FIFO is written in place: a reader gets the whole report, and the FIFO stays a FIFO.
    func testAReportToAFIFOIsWrittenInPlace() throws {
        let fifo = try temporaryFolder(self).appendingPathComponent("report.fifo").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let received = ResultBox()
        let reader = Thread {
            received.data = FileHandle(forReadingAtPath: fifo)?.readDataToEndOfFile()
            received.done.signal()
        }
        reader.start()
        let result = try airlock(["check", "--no-builtin", "--policies", passingPolicy, "--output", "sarif=\(fifo)", try input().path])
        XCTAssertEqual(result.exitCode, 0, result.stdout + result.stderr)
        XCTAssertEqual(received.done.wait(timeout: .now() + 30), .success)
        let report = try JSONSerialization.jsonObject(with: try XCTUnwrap(received.data)) as? [String: Any]
        XCTAssertEqual(report?["version"] as? String, "2.1.0")
        XCTAssertEqual(Self.fileType(fifo), S_IFIFO)
    }

    /// A symbolic link is followed: the file it points to gets the report, the link stays.
    func testAReportThroughASymbolicLinkReplacesTheFileItPointsTo() throws {
        let folder = try temporaryFolder(self)
        let target = folder.appendingPathComponent("real.xml").path
        let link = folder.appendingPathComponent("link.xml").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: target))
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let result = try airlock(["check", "--no-builtin", "--policies", passingPolicy, "--output", "junit=\(link)", try input().path])
        XCTAssertEqual(result.exitCode, 0, result.stdout + result.stderr)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link), target)
        XCTAssertTrue(try String(contentsOfFile: target, encoding: .utf8).hasPrefix("<?xml"))
    }

    /// A report to the file or pipe standard output goes to would be mixed with the `--format`
    /// report (or replace it): a usage error. /dev/null is not standard output's file.
    func testAReportToStandardOutputIsAUsageError() throws {
        let input = try input().path
        let piped = try airlock(["check", "--no-builtin", "--policies", passingPolicy, "--output", "sarif=/dev/stdout", input])
        XCTAssertEqual(piped.exitCode, 2, piped.stdout + piped.stderr)
        XCTAssertTrue(piped.stderr.contains("--output sarif=/dev/stdout: /dev/stdout is standard output, which carries the --format report; use --format sarif"), piped.stderr)

        let file = try temporaryFolder(self).appendingPathComponent("out.txt").path
        XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: nil))
        let redirected = try airlock(["check", "--no-builtin", "--policies", passingPolicy, "--output", "junit=\(file)", input], standardOutput: try XCTUnwrap(FileHandle(forWritingAtPath: file)))
        XCTAssertEqual(redirected.exitCode, 2, redirected.stderr)
        XCTAssertTrue(redirected.stderr.contains("\(file) is standard output"), redirected.stderr)

        let discarded = try airlock(["check", "--no-builtin", "--policies", passingPolicy, "--output", "junit=/dev/null", input], standardOutput: try XCTUnwrap(FileHandle(forWritingAtPath: "/dev/null")))
        XCTAssertEqual(discarded.exitCode, 0, discarded.stderr)
    }

    /// `-` names standard output elsewhere on the command line; `--output sarif=-` wrote a file
    /// named `-` in the working folder, exit 0, and nothing on standard output.
    func testADashAsAReportFileIsAUsageError() throws {
        let input = try input().path
        let folder = try temporaryFolder(self)
        for flag in [["--output", "sarif=-"], ["--write-baseline", "-"]] {
            let run = try airlock(["check", "--no-builtin", "--policies", passingPolicy] + flag + [input], directory: folder)
            XCTAssertEqual(run.exitCode, 2, run.stdout + run.stderr)
            XCTAssertTrue(run.stderr.contains("- would be a file named -, not standard output"), run.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("-").path))
        }
        let named = try airlock(["check", "--no-builtin", "--policies", passingPolicy, "--output", "sarif=./-", input], directory: folder)
        XCTAssertEqual(named.exitCode, 0, named.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("-").path))
    }

    /// A report that would replace one of the inputs (named directly, through a link, found in
    /// an input folder, or a values file) is a usage error before anything is written, the
    /// baseline included; the input keeps its content.
    func testAReportMayNotReplaceAnInput() throws {
        let folder = try temporaryFolder(self)
        let manifest = folder.appendingPathComponent("in.yaml").path
        let values = folder.appendingPathComponent("values.yaml").path
        let link = folder.appendingPathComponent("link.yaml").path
        let baseline = folder.appendingPathComponent("baseline.json").path
        try Data(FailClosedReportTests.goodInput.utf8).write(to: URL(fileURLWithPath: manifest))
        try Data("global: {tier: edge}\n".utf8).write(to: URL(fileURLWithPath: values))
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "in.yaml")
        let cases: [(inputs: [String], output: String)] = [
            (["in.yaml"], "text=in.yaml"),
            (["in.yaml"], "json=./sub/../in.yaml"),
            (["in.yaml"], "sarif=\(link)"),
            ([link], "sarif=\(manifest)"),
            (["."], "junit=in.yaml"),
            (["in.yaml", "--values", "values.yaml"], "gitlab=values.yaml"),
        ]
        for (inputs, output) in cases {
            let result = try airlock(["check", "--no-builtin", "--policies", passingPolicy, "--write-baseline", baseline, "--output", output] + inputs, directory: folder)
            XCTAssertEqual(result.exitCode, 2, "\(inputs) \(output): \(result.stdout) \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("--output \(output): "), result.stderr)
            XCTAssertTrue(result.stderr.contains("a report must not replace what it reports on"), result.stderr)
            XCTAssertEqual(try String(contentsOfFile: manifest, encoding: .utf8), FailClosedReportTests.goodInput)
            XCTAssertEqual(try String(contentsOfFile: values, encoding: .utf8), "global: {tier: edge}\n")
            XCTAssertFalse(FileManager.default.fileExists(atPath: baseline))
        }
        XCTAssertEqual(try airlock(["check", "--no-builtin", "--policies", passingPolicy, "--output", "text=out.txt", "in.yaml"], directory: folder).exitCode, 0)
    }

    /// Nor may a report replace what the run read beside the inputs it names: a policy file of a
    /// `--policies` folder, a file of a package or bundle given as a folder, the registry's
    /// index.yaml, a package's NAME.local.yaml, a bundle tarball's sidecar. Each was overwritten
    /// after the run (`gate pre-publish pkg --output json=pkg/package.yaml` replaced the
    /// package.yaml it had gated). A new file in a package folder (a report into a fresh checkout)
    /// is still written.
    func testAReportMayNotReplaceAFileTheRunReadBesideItsInputs() throws {
        let folder = try temporaryFolder(self)
        let files = [
            "in.yaml": FailClosedReportTests.goodInput,
            "policies/p.yaml": try String(contentsOfFile: passingPolicy, encoding: .utf8),
            "pkg/package.yaml": "name: svc\nversion: 1.0.0\n",
            "svc.local.yaml": "agents: {}\n",
            "registry/index.yaml": "svc: []\n",
            "b.tar.gz": "not an archive\n",
            "b.tar.gz.sha256": "0000  b.tar.gz\n",
            "bdir/manifest.yaml": "version: 1.0.0\n",
        ]
        for (path, contents) in files {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contents.utf8).write(to: url)
        }
        let publish = ["gate", "pre-publish", "pkg", "--registry", "registry"]
        let cases: [(arguments: [String], error: String)] = [
            (["check", "in.yaml", "--no-builtin", "--policies", "policies", "--output", "json=policies/p.yaml"],
             "--output json=policies/p.yaml: policies/p.yaml is the input policies/p.yaml; a report must not replace what it reports on"),
            (publish + ["--output", "json=pkg/package.yaml"],
             "--output json=pkg/package.yaml: pkg/package.yaml is a file of the input pkg; a report must not replace what it reports on"),
            (publish + ["--output", "sarif=registry/index.yaml"], "--output sarif=registry/index.yaml: registry/index.yaml is the input registry/index.yaml;"),
            (publish + ["--output", "text=svc.local.yaml"], "--output text=svc.local.yaml: svc.local.yaml is the input svc.local.yaml;"),
            (["bundle", "verify", "b.tar.gz", "--output", "json=b.tar.gz.sha256"], "--output json=b.tar.gz.sha256: b.tar.gz.sha256 is the input b.tar.gz.sha256;"),
            (["bundle", "verify", "bdir", "--write-baseline", "bdir/manifest.yaml"],
             "--write-baseline bdir/manifest.yaml: bdir/manifest.yaml is a file of the input bdir;"),
        ]
        for (arguments, error) in cases {
            let result = try airlock(arguments, directory: folder)
            XCTAssertEqual(result.exitCode, 2, "\(arguments): \(result.stdout) \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(error), result.stderr)
            for (path, contents) in files {
                XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8), contents, "\(arguments): \(path)")
            }
        }
        let fresh = try airlock(publish + ["--output", "json=pkg/airlock.json"], directory: folder)
        XCTAssertFalse(fresh.stderr.contains("must not replace"), fresh.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("pkg/airlock.json").path))
        // The baseline a run updates may be a file of the package it gates.
        try Data("{\"fingerprints\": [], \"schemaVersion\": \"1\"}\n".utf8).write(to: folder.appendingPathComponent("pkg/b.json"))
        let updated = try airlock(publish + ["--baseline", "pkg/b.json", "--write-baseline", "pkg/b.json"], directory: folder)
        XCTAssertFalse(updated.stderr.contains("must not replace"), updated.stderr)
        XCTAssertTrue(try String(contentsOf: folder.appendingPathComponent("pkg/b.json"), encoding: .utf8).contains("\"fingerprints\" : ["))
    }

    /// The `--write-baseline` file is checked as a report's: it may not be a report's file too
    /// (one would replace the other), nor replace an input or the values; it may update the
    /// `--baseline` file the run read.
    func testTheWrittenBaselineMayNotReplaceAReportOrAnInput() throws {
        let folder = try temporaryFolder(self)
        let manifest = folder.appendingPathComponent("in.yaml").path
        try Data(FailClosedReportTests.goodInput.utf8).write(to: URL(fileURLWithPath: manifest))
        try Data("global: {tier: edge}\n".utf8).write(to: folder.appendingPathComponent("values.yaml"))
        let check = ["check", "--no-builtin", "--policies", passingPolicy, "in.yaml", "--values", "values.yaml"]
        let cases: [(arguments: [String], error: String)] = [
            (["--write-baseline", "in.yaml"], "--write-baseline in.yaml: in.yaml is the input in.yaml; a report must not replace what it reports on"),
            (["--write-baseline", "values.yaml"], "--write-baseline values.yaml: values.yaml is the input values.yaml"),
            (["--write-baseline", "out/b.json", "--output", "json=out/b.json"], "--output json=out/b.json: the baseline is already written to out/b.json"),
        ]
        for (arguments, error) in cases {
            let result = try airlock(check + arguments, directory: folder)
            XCTAssertEqual(result.exitCode, 2, "\(arguments): \(result.stdout) \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(error), result.stderr)
            XCTAssertEqual(try String(contentsOfFile: manifest, encoding: .utf8), FailClosedReportTests.goodInput)
            XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
        }
        XCTAssertEqual(try airlock(check + ["--write-baseline", "b.json"], directory: folder).exitCode, 0)
        let updated = try airlock(check + ["--baseline", "b.json", "--write-baseline", "b.json"], directory: folder)
        XCTAssertEqual(updated.exitCode, 0, updated.stderr)
    }

    /// Two reports to one file through a link (to a file that exists or not yet, or to its
    /// folder) are refused like two reports to one name: one would silently replace the other.
    func testTwoReportsToOneFileThroughALinkAreAUsageError() throws {
        let folder = try temporaryFolder(self)
        let input = try input().path
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("real"), withIntermediateDirectories: true)
        try Data().write(to: folder.appendingPathComponent("real.out"))
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("link.out").path, withDestinationPath: "real.out")
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("dangling.out").path, withDestinationPath: "new.out")
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("alias").path, withDestinationPath: "real")
        for (first, second) in [("real.out", "link.out"), ("new.out", "dangling.out"), ("real/r.out", "alias/r.out"), ("real/r.out", "alias/../real/r.out")] {
            let result = try airlock(["check", "--no-builtin", "--policies", passingPolicy, "--output", "sarif=\(first)", "--output", "json=\(second)", input], directory: folder)
            XCTAssertEqual(result.exitCode, 2, "\(first) \(second): \(result.stdout) \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("--output json=\(second): another report is already written to \(second)"), result.stderr)
        }
        XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("real.out")), Data())
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("new.out").path))
    }

    /// Every report file is opened before any report is written: one that cannot be (a folder)
    /// is an error, exit 2, with no report (nor baseline) written that would say exit 1, and no
    /// temporary file left behind.
    func testAReportThatCannotBeOpenedStopsEveryReport() throws {
        let folder = try temporaryFolder(self)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("adir"), withIntermediateDirectories: true)
        try Data("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: w, image: docker.io/x:latest}]}\n".utf8)
            .write(to: folder.appendingPathComponent("pod.yaml"))
        for order in [["json=ok.json", "sarif=adir"], ["sarif=adir", "json=ok.json"]] {
            let outputs = order.flatMap { ["--output", $0] }
            let result = try airlock(["check", "--tier", "edge", "pod.yaml", "--write-baseline", "b.json"] + outputs, directory: folder)
            XCTAssertEqual(result.exitCode, 2, result.stdout + result.stderr)
            XCTAssertTrue(result.stderr.contains("cannot write the report adir: it is a folder"), result.stderr)
            XCTAssertEqual(result.stdout, "")
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(), ["adir", "pod.yaml"])
        }
        let written = try airlock(["check", "--tier", "edge", "pod.yaml", "--output", "json=ok.json"], directory: folder)
        XCTAssertEqual(written.exitCode, 1)
        XCTAssertTrue(try String(contentsOf: folder.appendingPathComponent("ok.json"), encoding: .utf8).contains("\"exitCode\" : 1"))
    }

    private static func fileType(_ path: String) -> mode_t? {
        var status = stat()
        return stat(path, &status) == 0 ? status.st_mode & S_IFMT : nil
    }
}

private final class ResultBox: @unchecked Sendable {
    var data: Data?
    let done = DispatchSemaphore(value: 0)
}
