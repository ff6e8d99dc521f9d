@testable import airlock
import ArgumentParser
import Foundation
import XCTest

/// Thousands of paths on the command line (`airlock check $(git ls-files '*.yaml')`): the argument
/// parser copies its array of paths for each one it adds, so it gets each run of paths as one
/// placeholder (`PathRuns`), and the command gets every path, in the order given.
final class ManyPathsTests: XCTestCase {
    private static func paths(_ count: Int, _ prefix: String) -> [String] {
        (0..<count).map { "\(prefix)/cm-\($0).yaml" }
    }

    /// The parser gets a few arguments however many paths there are: a run of paths after the
    /// command name (`check a b`) or an option's value (`--tier edge a b`) is one placeholder.
    func testTheParserGetsARunOfPathsAsOnePlaceholder() {
        let first = Self.paths(5_000, "a"), second = Self.paths(3_000, "b")
        let folded = PathRuns.fold(["check"] + first + ["--tier", "edge"] + second + ["--values", "v.yaml", "one.yaml"])
        XCTAssertEqual(folded.arguments.count, 8)
        XCTAssertEqual(Array(folded.arguments[2...3]), ["--tier", "edge"])
        XCTAssertEqual(Array(folded.arguments[5...]), ["--values", "v.yaml", "one.yaml"])
        XCTAssertEqual(folded.runs.map(Array.init), [first, second])
        XCTAssertEqual(PathRuns.unfold([folded.arguments[1], "one.yaml", folded.arguments[4]], runs: folded.runs), first + ["one.yaml"] + second)
        // A placeholder the parser did not give back as a path: the line is parsed as given.
        XCTAssertNil(PathRuns.unfold([folded.arguments[1]], runs: folded.runs))
        XCTAssertNil(PathRuns.unfold([folded.arguments[4], folded.arguments[1]], runs: folded.runs))
    }

    /// Command names (a path `test`), options and a single value are never folded; everything
    /// after `--` is a value, so `--fail-on` there is in a run.
    func testOnlyValuesAfterValuesAreFolded() {
        let folded = PathRuns.fold(["policy", "test", "p1", "test", "p2", "--", "-x.yaml", "p3", "-", "--fail-on", "low"])
        XCTAssertEqual(folded.runs.map(Array.init), [["p3", "-", "--fail-on", "low"]])
        XCTAssertEqual(Array(folded.arguments.prefix(7)), ["policy", "test", "p1", "test", "p2", "--", "-x.yaml"])
        XCTAssertEqual(folded.arguments.count, 8)
        XCTAssertEqual(PathRuns.fold(["check", "a.yaml", "--tier", "edge"]).runs, [])
    }

    /// Every command that takes paths gets them all, in order, with its options, as the parser
    /// alone gives them (on a line short enough for it).
    func testEveryPathsCommandParsesAsTheParserAlone() throws {
        let options = ["--tier", "edge", "--values", "v.yaml", "--output", "json=r.json"]
        let lines: [[String]] = [
            ["check", "a", "b", "c", "--tier", "edge", "d", "e", "--values", "v.yaml", "f", "-", "g"],
            ["check", "--", "a", "-b", "--tier", "edge"],
            ["gate", "pre-deploy", "a", "b"] + options + ["c", "d", "test", "e"],
            ["gate", "pre-publish", "a", "b"] + options + ["c", "d"],
            ["bundle", "verify", "a", "b"] + options + ["c", "d"],
            ["inventory", "a", "b", "--format", "json", "c", "d"],
            ["policy", "test", "a", "b", "c"],
        ]
        for line in lines {
            let folded = try XCTUnwrap(PathRuns.parseAsRoot(line) as? PathsCommand, "\(line)")
            let parsed = try XCTUnwrap(Airlock.parseAsRoot(line) as? PathsCommand, "\(line)")
            XCTAssertTrue(type(of: folded) == type(of: parsed), "\(line)")
            XCTAssertEqual(folded.paths, parsed.paths, "\(line)")
            XCTAssertFalse(PathRuns.fold(line).runs.isEmpty, "\(line)")
        }
        let check = try XCTUnwrap(PathRuns.parseAsRoot(lines[0]) as? Check)
        XCTAssertEqual(check.paths, ["a", "b", "c", "d", "e", "f", "-", "g"])
        XCTAssertEqual(check.policy.tier, ["edge"])
        XCTAssertEqual(check.policy.valuesFiles, ["v.yaml"])
    }

    /// 20,000 paths reach the command as given, between and after options.
    func testTwentyThousandPathsReachTheCommand() throws {
        let paths = Self.paths(20_000, "manifests")
        let line = ["check"] + paths[..<10_000] + ["--tier", "edge", "--values", "v.yaml"] + paths[10_000...] + ["--format", "json"]
        let check = try XCTUnwrap(PathRuns.parseAsRoot(Array(line)) as? Check)
        XCTAssertEqual(check.paths, paths)
        XCTAssertEqual(check.policy.tier, ["edge"])
        XCTAssertEqual(check.policy.valuesFiles, ["v.yaml"])
        XCTAssertEqual(check.report.format.rawValue, "json")
    }

    /// Errors are the parser's own, naming the argument, and a command still validates the
    /// paths it is given: `-` among a bundle's paths, a second rule id.
    func testErrorsAreTheParsersOwn() {
        let lines = [
            ["bundle", "verify"] + Self.paths(500, "b") + ["-", "c.tgz"],
            ["gate", "pre-publish", "p1", "p2", "-"],
            ["policy", "explain", "image-pinned", "second", "third"],
            ["check", "a", "b", "--bogus", "c", "d"],
            ["check", "a", "b", "--tier"],
        ]
        let messages = [
            "give the bundle tarball or folder to verify (a bundle is not read from standard input)",
            "give the package folder or tarball to check (a package is not read from standard input)",
            "2 unexpected arguments: 'second', 'third'",
            "Unknown option '--bogus'",
            "Missing value for '--tier <tier>'",
        ]
        for (line, message) in zip(lines, messages) {
            XCTAssertThrowsError(try PathRuns.parseAsRoot(line), "\(line.prefix(4))") { error in
                XCTAssertEqual(Airlock.message(for: error), message)
            }
        }
    }

    /// The built binary reads every one of 2,000 files named on its command line, and names
    /// the one that is missing.
    func testTheBinaryReadsEveryPathGiven() throws {
        let folder = try temporaryFolder(self)
        let names = (0..<2_000).map { "cm-\($0).yaml" }
        for (index, name) in names.enumerated() {
            let manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-\(index)\n  namespace: default\n"
            try manifest.write(to: folder.appendingPathComponent(name), atomically: false, encoding: .utf8)
        }
        let line = ["inventory", "--format", "json"] + names[..<1_000] + ["missing.yaml"] + names[1_000...]
        let result = try airlock(Array(line), directory: folder)
        XCTAssertEqual(result.exitCode, 2, result.stderr)
        XCTAssertEqual(result.stderr, "missing.yaml:1:1: error: no such file or directory\n")
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let resources = try XCTUnwrap(report["resources"] as? [[String: Any]])
        XCTAssertEqual(Set(resources.compactMap { $0["file"] as? String }), Set(names))
        XCTAssertEqual(resources.count, names.count)
    }
}
