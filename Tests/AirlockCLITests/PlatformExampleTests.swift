import Foundation
import XCTest

/// The example platform end to end: the compliant version passes the deploy gate with zero
/// findings; the violations version gives exactly the findings listed beside it.
final class PlatformExampleTests: XCTestCase {
    private let values = ["--values", "testdata/platform/values/values-tier1-edge.yaml", "--values", "testdata/platform/values/values-tenants.yaml"]

    func testCompliantPlatformPasses() throws {
        let result = try airlock(["gate", "pre-deploy", "testdata/platform/compliant"] + values)
        XCTAssertEqual(result.exitCode, 0, result.stdout)
        XCTAssertTrue(result.stdout.contains("0 findings"), result.stdout)
    }

    func testViolationsGiveExactlyTheExpectedFindings() throws {
        let result = try airlock(["gate", "pre-deploy", "testdata/platform/violations", "--format", "json"] + values)
        XCTAssertEqual(result.exitCode, 1, result.stderr)
        let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let findings = try XCTUnwrap(report?["findings"] as? [[String: Any]])
        let actual = findings.map { finding -> String in
            let location = finding["location"] as? [String: Any]
            let file = (location?["file"] as? String ?? "").replacingOccurrences(of: "testdata/platform/violations/", with: "")
            return "\(finding["ruleId"] as? String ?? "") \(file):\(location?["line"] as? Int ?? 0)"
        }.sorted()
        let expectedText = try String(contentsOf: packageRoot.appendingPathComponent("testdata/platform/violations/expected-findings.txt"), encoding: .utf8)
        let expected = expectedText.split(separator: "\n").map(String.init).filter { !$0.isEmpty && !$0.hasPrefix("#") }.sorted()
        XCTAssertEqual(actual, expected)
    }

    func testBuiltinPackIsEmbeddedFromPolicies() throws {
        let script = packageRoot.appendingPathComponent("scripts/embed-policies").path
        let generated = packageRoot.appendingPathComponent("Sources/AirlockCore/Policy/BuiltinPack.swift")
        let before = try String(contentsOf: generated, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, "--check"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "BuiltinPack.swift is stale: run scripts/embed-policies. " + String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
        XCTAssertEqual(try String(contentsOf: generated, encoding: .utf8), before, "--check must not rewrite the file")
    }
}

/// reports/ holds the README example's reports in every format; they must match what the
/// current binary writes (regenerate with `scripts/demo`).
final class ShippedReportsTests: XCTestCase {
    func testReportsFolderIsCurrent() throws {
        let folder = try temporaryFolder(self)
        let bundle = Bundle(for: ShippedReportsTests.self).bundleURL
        let products = bundle.pathExtension == "xctest" ? bundle.deletingLastPathComponent() : bundle
        let process = Process()
        process.executableURL = packageRoot.appendingPathComponent("scripts/demo")
        process.currentDirectoryURL = packageRoot
        process.environment = ProcessInfo.processInfo.environment.merging([
            "AIRLOCK": products.appendingPathComponent("airlock").path, "REPORTS_DIR": folder.path, "NO_COLOR": "1",
        ]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 1, "the example fails the gate")
        let shipped = packageRoot.appendingPathComponent("reports")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        XCTAssertEqual(names, try FileManager.default.contentsOfDirectory(atPath: shipped.path).sorted())
        for name in names {
            let fresh = try Data(contentsOf: folder.appendingPathComponent(name))
            let stored = try Data(contentsOf: shipped.appendingPathComponent(name))
            XCTAssertEqual(fresh, stored, "reports/\(name) is stale: run scripts/demo")
        }
    }
}
