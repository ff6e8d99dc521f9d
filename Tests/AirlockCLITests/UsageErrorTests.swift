import Foundation
import XCTest

/// A usage error shows the usage of the command it was given to, whether the parser finds it
/// (an unknown option) or the command does while running (a value it refuses).
final class UsageErrorTests: XCTestCase {
    func testAValueACommandRefusesShowsThatCommandsUsage() throws {
        let cases: [(arguments: [String], command: String)] = [
            (["check", "testdata/platform/compliant", "--tier", "Edge"], "airlock check"),
            (["gate", "pre-deploy", "testdata/platform/compliant", "--tier", "edge", "--output", "yaml=report.yaml"], "airlock gate pre-deploy"),
            (["policy", "explain", "image-pinned", "--param", "image-pinned"], "airlock policy explain"),
        ]
        for (arguments, command) in cases {
            let result = try airlock(arguments)
            XCTAssertEqual(result.exitCode, 2, result.stderr)
            XCTAssertTrue(result.stderr.hasPrefix("Error: "), result.stderr)
            XCTAssertTrue(result.stderr.contains("\nUsage: \(command) "), result.stderr)
            XCTAssertTrue(result.stderr.contains("See '\(command) --help' for more information."), result.stderr)
        }
    }

    /// A run has one tier: a second `--tier` (a CI template's and the job's own) was taken over
    /// the first without a word, and an edge check run at connected passes what edge forbids.
    func testATierGivenTwiceIsAUsageError() throws {
        let result = try airlock(["check", "testdata/platform/compliant", "--tier", "edge", "--tier", "connected"])
        XCTAssertEqual(result.exitCode, 2, result.stderr)
        XCTAssertEqual(result.stdout, "")
        XCTAssertTrue(
            result.stderr.hasPrefix(#"Error: --tier is given twice, "edge" and "connected": a run has one tier"# + "\nUsage: airlock check "),
            result.stderr)
    }

    /// So is any other option that takes one file: the first file was dropped unread.
    func testAnyFileOptionGivenTwiceIsAUsageError() throws {
        let cases: [(arguments: [String], message: String)] = [
            (["--config", "a.yaml", "--config", "b.yaml"], #"--config is given twice, "a.yaml" and "b.yaml": a run reads one configuration file"#),
            (["--param-file", "a.yaml", "--param-file", "b.yaml", "--param-file", "c.yaml"],
             #"--param-file is given 3 times, "a.yaml", "b.yaml" and "c.yaml": a run reads one params file"#),
            (["--exceptions", "a.yaml", "--exceptions=b.yaml"], #"--exceptions is given twice, "a.yaml" and "b.yaml": a run reads one exceptions file"#),
            (["--baseline", "a.json", "--baseline", "b.json"], #"--baseline is given twice, "a.json" and "b.json": a run reads one baseline"#),
            (["--write-baseline", "a.json", "--write-baseline", "b.json"], #"--write-baseline is given twice, "a.json" and "b.json": a run writes one baseline"#),
        ]
        for (arguments, message) in cases {
            let result = try airlock(["check", "testdata/platform/compliant", "--tier", "edge"] + arguments)
            XCTAssertEqual(result.exitCode, 2, result.stderr)
            XCTAssertEqual(result.stdout, "")
            XCTAssertTrue(result.stderr.hasPrefix("Error: \(message)\nUsage: airlock check "), result.stderr)
        }
        let key = try airlock(["gate", "pre-deploy", "testdata/platform/compliant", "--tier", "edge", "--key", "a.pub", "--key", "b.pub"])
        XCTAssertEqual(key.exitCode, 2, key.stderr)
        XCTAssertTrue(
            key.stderr.hasPrefix(#"Error: --key is given twice, "a.pub" and "b.pub": signatures are verified with one key"# + "\nUsage: airlock gate pre-deploy "),
            key.stderr)
    }

    /// Each argument and option states its default once: the argument parser adds
    /// `(default: X)` itself, and `policy test` wrote it in its help too, so that it read
    /// `(default: policies). (default: policies)`.
    func testEveryHelpStatesEachDefaultOnce() throws {
        let commands = [["check"], ["gate", "pre-deploy"], ["gate", "pre-publish"], ["bundle", "verify"], ["inventory"],
                        ["policy", "list"], ["policy", "explain"], ["policy", "test"]]
        for command in commands {
            let help = try airlock(command + ["--help"]).stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            XCTAssertNil(help.range(of: #"\(default: [^)]*\)\.? \(default: "#, options: .regularExpression), "\(command): \(help)")
        }
    }

    /// `--profile` says which profiles there are: its help said only "The profile to run.", and
    /// no document names the option.
    func testProfileHelpNamesTheProfiles() throws {
        for command in [["gate", "pre-deploy"], ["gate", "pre-publish"], ["bundle", "verify"]] {
            let help = try airlock(command + ["--help"]).stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            XCTAssertTrue(help.contains("The profile of the built-in pack (policies/profiles.yaml) to run, with its --fail-on default: deploy, publish, verify."), "\(command): \(help)")
        }
    }

    /// A malformed `SOURCE_DATE_EPOCH` (a leading space) stops the run before any report is
    /// written, naming the variable and the value: it was read around the space.
    func testAMalformedSourceDateEpochIsAnError() throws {
        let result = try airlock(["check", "testdata/platform/compliant", "--tier", "edge", "--format", "junit"], environment: ["SOURCE_DATE_EPOCH": " 1"])
        XCTAssertEqual(result.exitCode, 2, result.stderr)
        XCTAssertEqual(result.stdout, "")
        XCTAssertTrue(
            result.stderr.hasPrefix(#"Error: SOURCE_DATE_EPOCH must be a whole number of seconds since 1970 in ASCII digits alone, as `date +%s` writes it, got " 1""# + "\n"),
            result.stderr)
    }
}
