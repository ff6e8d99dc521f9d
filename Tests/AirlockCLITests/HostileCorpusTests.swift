import Foundation
import XCTest

/// Runs every input of testdata/hostile/ through `airlock check` and compares the exit code and
/// the messages with the `NAME.expected` file beside it; plus the hostile inputs that are
/// generated at test time (too large to commit, or not representable in git).
final class HostileCorpusTests: XCTestCase {
    /// What one `NAME.expected` file asks for.
    private struct Expectation {
        var arguments: [String] = []
        var exitCode: Int32?
        var messages: [String] = []
    }

    private let corpus = packageRoot.appendingPathComponent("testdata/hostile")

    /// Reads `args:` (split at spaces), `exit:` and any number of `message:` lines (JSON strings).
    private func expectation(_ url: URL) throws -> Expectation {
        var result = Expectation()
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") where !line.hasPrefix("#") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon]
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "args": result.arguments = value.split(separator: " ").map(String.init)
            case "exit": result.exitCode = Int32(value)
            case "message": result.messages.append(try JSONDecoder().decode(String.self, from: Data(value.utf8)))
            default: XCTFail("\(url.lastPathComponent): unknown key \(key)")
            }
        }
        return result
    }

    func testEveryHostileInputGivesItsExpectedResult() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: corpus.path).sorted()
        let inputs = names.filter { !$0.hasSuffix(".expected") && !$0.hasPrefix(".") && $0 != "policies" }
        XCTAssertGreaterThanOrEqual(inputs.count, 30)
        for input in inputs {
            let stem = (input as NSString).deletingPathExtension
            let expectedURL = corpus.appendingPathComponent(stem + ".expected")
            guard FileManager.default.fileExists(atPath: expectedURL.path) else {
                XCTFail("\(input) has no \(stem).expected")
                continue
            }
            let expected = try expectation(expectedURL)
            let result = try airlock(["check", "--root", "testdata/hostile"] + expected.arguments + ["testdata/hostile/" + input])
            XCTAssertEqual(result.exitCode, try XCTUnwrap(expected.exitCode, "\(stem).expected has no exit:"), "\(input)\n\(result.stdout)\(result.stderr)")
            XCTAssertFalse(expected.messages.isEmpty, "\(stem).expected has no message:")
            for message in expected.messages {
                XCTAssertTrue(result.stdout.contains(message), "\(input): expected\n  \(message)\nin\n\(result.stdout)\(result.stderr)")
            }
        }
    }

    func testEveryExpectationHasItsInput() throws {
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: corpus.path))
        for name in names where name.hasSuffix(".expected") {
            let stem = (name as NSString).deletingPathExtension
            XCTAssertTrue(names.contains { $0 != name && ($0 as NSString).deletingPathExtension == stem }, "\(name) has no input")
        }
    }

    /// A 100 MB single scalar: over a lowered `--max-document-bytes` it is the size-limit error;
    /// under the default limit (256 MiB) it is over the limit of one scalar (16 MiB).
    func testHundredMegabyteScalarHitsTheDocumentSizeLimit() throws {
        let folder = try temporaryFolder(self)
        let url = folder.appendingPathComponent("huge-scalar.yaml")
        var bytes = [UInt8]("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: huge}\ndata:\n  blob: ".utf8)
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "a"), count: 100_000_000))
        bytes.append(UInt8(ascii: "\n"))
        try Data(bytes).write(to: url)
        let result = try airlock(["check", "--no-builtin", "--policies", passingPolicy, "--root", folder.path, "--max-document-bytes", "1048576", url.path])
        XCTAssertEqual(result.exitCode, 2, result.stdout)
        XCTAssertTrue(result.stdout.contains("huge-scalar.yaml:5:9: error: document is larger than the limit of 1048576 bytes (raise it with --max-document-bytes)"), result.stdout)
    }

    /// One 1 MB image anchored once and aliased by 3,000 containers: every rule read each copy,
    /// 3 GB of text from a 1 MB file. The alias that repeats more text than the budget is an error.
    func testLargeScalarAliasedThousandsOfTimesIsRefused() throws {
        let folder = try temporaryFolder(self)
        let url = folder.appendingPathComponent("alias-text-bomb.yaml")
        var text = "apiVersion: v1\nkind: Pod\nmetadata: {name: bomb, namespace: team-a}\nspec:\n  containers:\n"
        text += "    - name: c0\n      image: &i " + String(repeating: "a", count: 1_000_000) + "\n"
        for number in 1...3_000 { text += "    - {name: c\(number), image: *i}\n" }
        try Data(text.utf8).write(to: url)
        let result = try airlock(["check", "--root", folder.path, url.path])
        XCTAssertEqual(result.exitCode, 2, result.stdout)
        XCTAssertTrue(result.stdout.contains(
            "alias-text-bomb.yaml:24:26: error: aliases repeat more than 16777216 bytes of scalar text (10x the text before this alias, at least 16777216): refusing a possible alias bomb"),
            result.stdout)
    }

    /// Lower `--max-depth` applies to the committed 10,000-deep file as it does to the default.
    func testLoweredDepthLimit() throws {
        let result = try airlock(["check", "--no-builtin", "--policies", passingPolicy, "--root", "testdata/hostile", "--max-depth", "8", "testdata/hostile/nesting-10000-flow.yaml"])
        XCTAssertEqual(result.exitCode, 2, result.stdout)
        XCTAssertTrue(result.stdout.contains("nesting-10000-flow.yaml:4:11: error: nesting is deeper than the limit of 8 (raise it with --max-depth)"), result.stdout)
    }

    /// Raising `--max-depth` far above the default let a policy comparing whole objects overflow
    /// an evaluation thread's stack (SIGSEGV) on the committed 10,000-deep file; the flag is now
    /// capped, and the deepest accepted document evaluates without crashing.
    func testMaxDepthIsCappedBelowWhatEvaluationCanRecurse() throws {
        let tooDeep = try airlock(["check", "--no-builtin", "--policies", passingPolicy, "--max-depth", "100000", "--policies", "testdata/hostile/policies/compare-whole-object.yaml", "testdata/hostile/nesting-10000-flow.yaml"])
        XCTAssertEqual(tooDeep.exitCode, 2, tooDeep.stdout + tooDeep.stderr)
        XCTAssertTrue(tooDeep.stderr.contains("--max-depth must be between 1 and 2048, got 100000"), tooDeep.stderr)

        let folder = try temporaryFolder(self)
        let url = folder.appendingPathComponent("deepest.yaml")
        let levels = 2046
        let text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep, namespace: team-a}\nx: "
            + String(repeating: "{\"a\": [", count: levels / 2) + String(repeating: "]}", count: levels / 2) + "\n"
        try Data(text.utf8).write(to: url)
        let deepest = try airlock(["check", "--no-builtin", "--policies", passingPolicy, "--max-depth", "2048", "--policies", "testdata/hostile/policies/compare-whole-object.yaml", url.path])
        XCTAssertEqual(deepest.exitCode, 0, deepest.stdout + deepest.stderr)
    }

    /// A file that is gone by the time it is read (a dangling symlink) and a folder where a file
    /// is expected both fail closed, with the good file beside them still evaluated.
    func testVanishedAndMisplacedInputsFailClosed() throws {
        let folder = try temporaryFolder(self)
        let good = folder.appendingPathComponent("good.yaml")
        try Data("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n".utf8).write(to: good)
        let dangling = folder.appendingPathComponent("vanished.yaml")
        try FileManager.default.createSymbolicLink(atPath: dangling.path, withDestinationPath: folder.appendingPathComponent("removed.yaml").path)

        let explicit = try airlock(["check", "--no-builtin", "--policies", passingPolicy, "--root", folder.path, good.path, dangling.path])
        XCTAssertEqual(explicit.exitCode, 2, explicit.stdout)
        XCTAssertTrue(explicit.stdout.contains("vanished.yaml:1:1: error:"), explicit.stdout)

        let discovered = try airlock(["check", "--no-builtin", "--policies", passingPolicy, "--root", folder.path, folder.path])
        XCTAssertEqual(discovered.exitCode, 2, discovered.stdout)
        XCTAssertTrue(discovered.stdout.contains("vanished.yaml:1:1: error:"), discovered.stdout)

        // A symlinked manifest inside a folder is read like a file, not skipped.
        let target = folder.appendingPathComponent("elsewhere.txt")
        try Data("apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: team-a}\nspec: {containers: [{name: c, image: evil.example/x:1}]}\n".utf8).write(to: target)
        try FileManager.default.removeItem(at: dangling)
        try FileManager.default.createSymbolicLink(atPath: dangling.path, withDestinationPath: target.path)
        let linked = try airlock(["check", "--root", folder.path, folder.path])
        XCTAssertEqual(linked.exitCode, 1, linked.stdout)
        XCTAssertTrue(linked.stdout.contains("vanished.yaml:4:38  HIGH  image-registry-allowed"), linked.stdout)

        let misplaced = folder.appendingPathComponent("dir.yaml")
        try FileManager.default.removeItem(at: dangling)
        try FileManager.default.createDirectory(at: misplaced, withIntermediateDirectories: true)
        try Data("- not a resource\n".utf8).write(to: misplaced.appendingPathComponent("inner.yaml"))
        let folderAsFile = try airlock(["check", "--no-builtin", "--policies", passingPolicy, "--root", folder.path, good.path, misplaced.path])
        XCTAssertEqual(folderAsFile.exitCode, 2, folderAsFile.stdout)
        XCTAssertTrue(folderAsFile.stdout.contains("dir.yaml/inner.yaml:1:1: error: document is not a Kubernetes object"), folderAsFile.stdout)
    }
}
