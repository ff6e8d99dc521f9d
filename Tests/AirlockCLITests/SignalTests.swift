import Foundation
import XCTest

/// SIGINT and SIGTERM stop a run with 130 / 143 and leave neither a report nor its temp file.
final class SignalTests: XCTestCase {
    /// Starts `airlock check` on a generated input with many findings, waits until the SARIF
    /// report's temp file appears (or the run has been going for a while), sends `signal`, and
    /// checks the exit code and that the output folder is empty.
    private func interrupt(with signalNumber: Int32, expectedExit: Int32) throws {
        let folder = try temporaryFolder(self)
        let input = folder.appendingPathComponent("many.yaml")
        var text = ""
        for index in 0..<4000 {
            text += "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p\(index), namespace: team-a}\n"
            text += "spec: {containers: [{name: c, image: evil.example/x:\(index)}]}\n"
        }
        try Data(text.utf8).write(to: input)
        let reports = folder.appendingPathComponent("reports")
        try FileManager.default.createDirectory(at: reports, withIntermediateDirectories: true)

        let bundle = Bundle(for: SignalTests.self).bundleURL
        let products = bundle.pathExtension == "xctest" ? bundle.deletingLastPathComponent() : bundle
        let process = Process()
        process.executableURL = products.appendingPathComponent("airlock")
        process.arguments = ["check", "--root", folder.path, "--output", "sarif=\(reports.path)/report.sarif", input.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()

        // Prefer to hit the report while it is being written; else interrupt the evaluation.
        let deadline = Date().addingTimeInterval(20)
        var sawTemporary = false
        while process.isRunning, Date() < deadline {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: reports.path)) ?? []
            if names.contains(where: { $0.hasSuffix(".tmp") }) {
                sawTemporary = true
                break
            }
            usleep(1000)
        }
        XCTAssertTrue(process.isRunning, "the run finished before it could be interrupted; make the input larger")
        print("signal \(signalNumber) sent while the report's temp file existed: \(sawTemporary)")
        kill(process.processIdentifier, signalNumber)
        process.waitUntilExit()

        XCTAssertEqual(process.terminationReason, .exit)
        XCTAssertEqual(process.terminationStatus, expectedExit)
        let left = try FileManager.default.contentsOfDirectory(atPath: reports.path)
        XCTAssertEqual(left, [], "an interrupted run left \(left) (temp file seen before the signal: \(sawTemporary))")
    }

    func testSIGTERMExits143WithoutReportOrTempFile() throws {
        try interrupt(with: SIGTERM, expectedExit: 143)
    }

    func testSIGINTExits130WithoutReportOrTempFile() throws {
        try interrupt(with: SIGINT, expectedExit: 130)
    }
}
