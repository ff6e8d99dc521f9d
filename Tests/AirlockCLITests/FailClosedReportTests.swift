import Foundation
import XCTest

/// Fail closed end to end: every kind of input and evaluation error makes the exit code non-zero
/// and appears in every report format, on standard output and in `--output FORMAT=FILE` files.
final class FailClosedReportTests: XCTestCase {
    private static let formats = ["text", "json", "sarif", "junit", "github", "gitlab"]

    static let goodInput = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: team-a}\n"
    private static let badPolicy = """
        apiVersion: airlock.dev/v1
        kind: Policy
        metadata: {name: broken}
        spec:
          category: general
          severity: low
          title: t
          validations:
          - expression: object.kind ==

        """
    private static let costlyPolicy = """
        apiVersion: airlock.dev/v1
        kind: Policy
        metadata: {name: costly}
        spec:
          category: general
          severity: low
          title: t
          match: {kinds: [ConfigMap]}
          validations:
          - expression: "lists.range(1000).all(i, lists.range(1000).all(j, i + j >= 0))"

        """
    private static let failingPolicy = """
        apiVersion: airlock.dev/v1
        kind: Policy
        metadata: {name: failing}
        spec:
          category: general
          severity: low
          title: t
          match: {kinds: [ConfigMap]}
          validations:
          - expression: "object.data.missing == 'x'"

        """

    /// One kind of error: the files to create, the check arguments (after the outputs) and a
    /// text that every report must contain.
    private struct Case {
        var name: String
        var files: [String: String]
        var arguments: [String]
        var evidence: String
    }

    private let cases: [Case] = [
        Case(name: "bad YAML", files: ["bad.yaml": "a: [1, 2\nb: 3\n"], arguments: ["bad.yaml"], evidence: "malformed YAML"),
        Case(name: "empty input", files: ["empty.yaml": ""], arguments: ["empty.yaml"], evidence: "the inputs hold no Kubernetes resource"),
        Case(name: "not an object", files: ["list.yaml": "- a\n"], arguments: ["list.yaml"], evidence: "document is not a Kubernetes object"),
        Case(name: "missing file", files: [:], arguments: ["missing.yaml"], evidence: "no such file or directory"),
        Case(name: "bad policy", files: ["p.yaml": badPolicy, "good.yaml": goodInput], arguments: ["--policies", "p.yaml", "good.yaml"], evidence: "Syntax error: unexpected end of input"),
        Case(name: "evaluation error", files: ["p.yaml": failingPolicy, "good.yaml": goodInput], arguments: ["--policies", "p.yaml", "good.yaml"], evidence: "failing: validations[0]: no such key: data"),
        Case(name: "cost limit", files: ["p.yaml": costlyPolicy, "good.yaml": goodInput], arguments: ["--policies", "p.yaml", "--cel-cost-limit", "10000", "good.yaml"], evidence: "cost limit exceeded"),
    ]

    func testEveryErrorFailsAndIsInEveryReportFormat() throws {
        for testCase in cases {
            let folder = try temporaryFolder(self)
            for (name, text) in testCase.files {
                try Data(text.utf8).write(to: folder.appendingPathComponent(name))
            }
            let outputs = Self.formats.flatMap { ["--output", "\($0)=\(folder.path)/out/report.\($0)"] }
            for standardFormat in Self.formats {
                let arguments = ["check", "--no-builtin", "--policies", passingPolicy, "--root", folder.path, "--format", standardFormat] + outputs
                    + testCase.arguments.map { $0.hasSuffix(".yaml") ? folder.appendingPathComponent($0).path : $0 }
                let result = try airlock(arguments)
                XCTAssertEqual(result.exitCode, 2, "\(testCase.name), --format \(standardFormat): \(result.stdout)\(result.stderr)")
                XCTAssertTrue(result.stdout.contains(testCase.evidence), "\(testCase.name): --format \(standardFormat) misses \"\(testCase.evidence)\":\n\(result.stdout)\(result.stderr)")
            }
            for format in Self.formats {
                let report = folder.appendingPathComponent("out/report.\(format)")
                let text = (try? String(contentsOf: report, encoding: .utf8)) ?? "<no report written>"
                XCTAssertTrue(text.contains(testCase.evidence), "\(testCase.name): report.\(format) misses \"\(testCase.evidence)\":\n\(text)")
            }
        }
    }

    /// Reports are written at the same time, so two of them may not share a file.
    func testTwoReportsToTheSameFileAreAUsageError() throws {
        let folder = try temporaryFolder(self)
        let input = folder.appendingPathComponent("good.yaml")
        try Data(Self.goodInput.utf8).write(to: input)
        let report = folder.appendingPathComponent("report").path
        let result = try airlock(["check", "--no-builtin", "--policies", passingPolicy, "--output", "sarif=\(report)", "--output", "junit=\(folder.path)/./report", input.path])
        XCTAssertEqual(result.exitCode, 2, result.stdout + result.stderr)
        XCTAssertTrue(result.stderr.contains("another report is already written to \(folder.path)/./report"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: report))
    }

    /// A report that cannot be written fails the run with a reason in words.
    func testUnwritableReportIsAnErrorInWords() throws {
        let folder = try temporaryFolder(self)
        let input = folder.appendingPathComponent("good.yaml")
        try Data(Self.goodInput.utf8).write(to: input)
        let result = try airlock(["check", "--no-builtin", "--policies", passingPolicy, "--output", "sarif=\(folder.path)", input.path])
        XCTAssertEqual(result.exitCode, 2, result.stdout + result.stderr)
        XCTAssertTrue(result.stderr.contains("cannot write the report \(folder.path): it is a folder"), result.stderr)
    }
}
