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

    /// The other commands' output too: `print` kept a failed write to itself and exited 0.
    func testListingsOnAFullDeviceAreAnErrorInWords() throws {
        for arguments in [["policy", "list"], ["inventory", try input().path]] {
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

    private static func fileType(_ path: String) -> mode_t? {
        var status = stat()
        return stat(path, &status) == 0 ? status.st_mode & S_IFMT : nil
    }
}

private final class ResultBox: @unchecked Sendable {
    var data: Data?
    let done = DispatchSemaphore(value: 0)
}
