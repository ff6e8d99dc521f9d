import Foundation
import XCTest

/// Every kind of bad input exits 2 with file:line:col, and never hides the findings of good inputs.
final class FailClosedTests: XCTestCase {
    private func check(_ files: [String: String], extra: [String] = []) throws -> CommandResult {
        let folder = try temporaryFolder(self)
        for (name, text) in files {
            try Data(text.utf8).write(to: folder.appendingPathComponent(name))
        }
        return try airlock(["check", "--no-builtin", "--policies", passingPolicy, "--root", folder.path] + extra + files.keys.sorted().map { folder.appendingPathComponent($0).path })
    }

    func testBadInputsExitTwoWithPositions() throws {
        let cases: [(String, String, String)] = [
            ("malformed.yaml", "a: [1, 2\nb: 3\n", "malformed.yaml:2:2: error: malformed YAML"),
            ("truncated.json", "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"p", "truncated.json:1:60: error: malformed JSON: while scanning a quoted scalar"),
            ("dup.yaml", "apiVersion: v1\nkind: Pod\nkind: Pod\n", "dup.yaml:3:1: error: duplicate key \"kind\""),
            ("notobject.yaml", "- a\n", "notobject.yaml:1:1: error: document is not a Kubernetes object"),
            ("tab.yaml", "a:\n\tb: 1\n", "tab.yaml:2:1: error: malformed YAML"),
            ("tag.yaml", "a: !!python/object:os.system x\n", "tag.yaml:1:4: error: tag !!python/object:os.system is not allowed"),
            ("bundle.tar", String(repeating: "a", count: 257) + "ustar\u{0}00", "bundle.tar:1:1: error: it is a tar archive, not YAML or JSON: check bundles with `airlock bundle verify`"),
            ("bundle.tar.bz2", "BZh91AY&SY", "bundle.tar.bz2:1:1: error: it is a bzip2 archive"),
        ]
        for (name, text, expected) in cases {
            let result = try check([name: text])
            XCTAssertEqual(result.exitCode, 2, name)
            XCTAssertTrue(result.stdout.contains(expected), "\(name): \(result.stdout)")
        }
    }

    func testEmptyInputFailsUnlessAllowed() throws {
        let empty = try check(["empty.yaml": ""])
        XCTAssertEqual(empty.exitCode, 2)
        XCTAssertTrue(empty.stdout.contains("the inputs hold no Kubernetes resource"), empty.stdout)
        XCTAssertEqual(try check(["empty.yaml": "---\n"], extra: ["--allow-empty"]).exitCode, 0)
    }

    /// A file that holds no document, named beside others (a `helm template` that failed and
    /// wrote nothing), is noted on standard error: the run went on without a word about it. It
    /// is no error, as kubectl accepts it. An empty List is a document.
    func testAFileHoldingNoDocumentIsNoted() throws {
        let folder = try temporaryFolder(self)
        let files = [
            "empty.yaml": "", "comments.yaml": "# rendered by helm\n---\n...\n",
            "good.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n", "list.yaml": "apiVersion: v1\nkind: List\nitems: []\n",
        ]
        for (name, text) in files { try Data(text.utf8).write(to: folder.appendingPathComponent(name)) }
        func note(_ file: String) -> String {
            "airlock: note: \(file) holds no document (it is empty, or holds only comments or ---): nothing in it was checked; did `helm template` fail upstream?\n"
        }
        let names = ["empty.yaml", "good.yaml", "comments.yaml", "list.yaml"]
        let result = try airlock(["check", "--no-builtin", "--policies", passingPolicy] + names, directory: folder)
        XCTAssertEqual(result.exitCode, 0, result.stdout)
        XCTAssertEqual(result.stderr, note("empty.yaml") + note("comments.yaml"))
        let inventory = try airlock(["inventory"] + names, directory: folder)
        XCTAssertEqual(inventory.exitCode, 0, inventory.stderr)
        XCTAssertEqual(inventory.stderr, note("empty.yaml") + note("comments.yaml"))
    }

    func testOneBadFileDoesNotHideTheOthers() throws {
        let result = try check([
            "bad.yaml": "a: [",
            "good.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
        ], extra: ["--format", "json"])
        XCTAssertEqual(result.exitCode, 2)
        XCTAssertTrue(result.stdout.contains("good.yaml"), "the good file is still listed as read")
    }

    func testMissingPathUnknownFlagAndBinaryFile() throws {
        let missing = try airlock(["check", "--no-builtin", "--policies", passingPolicy, "no/such/file.yaml"])
        XCTAssertEqual(missing.exitCode, 2)
        XCTAssertTrue(missing.stdout.contains("no/such/file.yaml:1:1: error: no such file or directory"), missing.stdout)
        let flag = try airlock(["check", "--frobnicate"])
        XCTAssertEqual(flag.exitCode, 2)
        XCTAssertTrue(flag.stderr.contains("Unknown option '--frobnicate'"), flag.stderr)
        let root = try airlock(["check", "--no-builtin", "--policies", passingPolicy, "--root", "no/such/folder", "-"], input: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
        XCTAssertEqual(root.exitCode, 2)
        XCTAssertTrue(root.stderr.contains("--root no/such/folder: no such folder"), root.stderr)
        let cost = try airlock(["check", "--no-builtin", "--policies", passingPolicy, "--cel-cost-limit=-5", "-"], input: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
        XCTAssertEqual(cost.exitCode, 2)
        XCTAssertTrue(cost.stderr.contains("--cel-cost-limit must be a positive number, got -5"), cost.stderr)
        let binary = try check(["bin.yaml": "\u{7F}ELF\u{0}\u{1}"])
        XCTAssertEqual(binary.exitCode, 2)
        XCTAssertTrue(binary.stdout.contains("binary file"), binary.stdout)
    }

    /// A folder walk reads what a linked folder holds (once, even through a link loop) and
    /// reports a FIFO named like a manifest instead of skipping it or waiting on it.
    func testFolderWalkFollowsLinkedFoldersAndRefusesSpecialFiles() throws {
        let root = try temporaryFolder(self)
        let top = root.appendingPathComponent("top")
        let real = root.appendingPathComponent("real")
        for folder in [top, real] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        try Data("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n".utf8).write(to: top.appendingPathComponent("good.yaml"))
        try Data("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: c, image: nginx:latest}\n".utf8)
            .write(to: real.appendingPathComponent("pod.yaml"))
        try FileManager.default.createSymbolicLink(atPath: top.appendingPathComponent("linked").path, withDestinationPath: "../real")
        try FileManager.default.createSymbolicLink(atPath: real.appendingPathComponent("loop").path, withDestinationPath: "..")
        let linked = try airlock(["check", "--root", root.path, "--format", "json", top.path])
        XCTAssertEqual(linked.exitCode, 1, linked.stdout)
        XCTAssertTrue(linked.stdout.contains("top/linked/pod.yaml"), linked.stdout)
        XCTAssertEqual(linked.stdout.components(separatedBy: "\"path\" : ").count - 1, 2, "good.yaml and the linked pod.yaml, each once: \(linked.stdout)")
        XCTAssertEqual(mkfifo(top.appendingPathComponent("pipe.yaml").path, 0o644), 0)
        let fifo = try airlock(["check", "--no-builtin", "--policies", passingPolicy, "--root", root.path, top.path])
        XCTAssertEqual(fifo.exitCode, 2, fifo.stdout)
        XCTAssertTrue(fifo.stdout.contains("top/pipe.yaml:1:1: error: cannot read file: it is a FIFO, not a regular file"), fifo.stdout)
    }

    /// A manifest saved as UTF-16 with a byte order mark (as PowerShell writes it) is checked,
    /// with positions and source lines as in UTF-8; without the mark it is named, not "binary".
    func testUTF16ManifestsAreRead() throws {
        let folder = try temporaryFolder(self)
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {hostNetwork: true, containers: [{name: c, image: nginx}]}\n"
        let littleEndian: [UInt8] = [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        try Data(littleEndian).write(to: folder.appendingPathComponent("u16.yaml"))
        try Data(text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }).write(to: folder.appendingPathComponent("nobom.yaml"))
        let result = try airlock(["check", "--tier", "edge", "."], directory: folder)
        XCTAssertEqual(result.exitCode, 2, result.stdout)
        XCTAssertTrue(result.stdout.contains("u16.yaml:4:21  HIGH  no-host-network"), result.stdout)
        XCTAssertTrue(result.stdout.contains("    4 | spec: {hostNetwork: true,"), result.stdout)
        XCTAssertTrue(result.stdout.contains("nobom.yaml:1:1: error: UTF-16BE text without a byte order mark"), result.stdout)
    }

    /// A Pod as one line of JSON, pinned to the local registry; on the host network unless told
    /// otherwise (a no-host-network finding at column 88 of its line).
    private func jsonLinePod(_ name: String, hostNetwork: Bool = true) -> String {
        #"{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "\#(name)"}, "spec": {"hostNetwork": \#(hostNetwork), "containers": [{"name": "c", "image": "registry.local:5000/a@sha256:\#(String(repeating: "a", count: 64))"}]}}"#
    }

    /// JSON objects one after another (`kubectl get -o json | jq -c '.items[]'`) are each checked,
    /// as kubectl applies each; YAML would read the first and refuse the rest.
    func testJSONLinesAreEachChecked() throws {
        let lines = [jsonLinePod("a", hostNetwork: false), jsonLinePod("b"), jsonLinePod("c")].joined(separator: "\n") + "\n"
        let result = try airlock(["check", "--tier", "edge", "--namespace", "team-a", "-"], input: lines)
        XCTAssertEqual(result.exitCode, 1, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("<stdin>:2:88  HIGH  no-host-network  team-a/Pod/b"), result.stdout)
        XCTAssertTrue(result.stdout.contains("<stdin>:3:88  HIGH  no-host-network  team-a/Pod/c"), result.stdout)
        XCTAssertTrue(result.stdout.contains("0 errors"), result.stdout)
    }

    /// A line of JSON Lines that is not an object is an error at it, and the objects after it are
    /// still checked, as YAML documents after a broken one are.
    func testJSONLinesAfterABrokenLineAreChecked() throws {
        let lines = [jsonLinePod("a"), "garbage", jsonLinePod("b")].joined(separator: "\n") + "\n"
        let result = try airlock(["check", "--tier", "edge", "--namespace", "team-a", "-"], input: lines)
        XCTAssertEqual(result.exitCode, 2, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("<stdin>:1:88  HIGH  no-host-network  team-a/Pod/a"), result.stdout)
        XCTAssertTrue(result.stdout.contains("<stdin>:2:1: error: malformed YAML: did not find expected <document start>"), result.stdout)
        XCTAssertTrue(result.stdout.contains("<stdin>:3:88  HIGH  no-host-network  team-a/Pod/b"), result.stdout)
    }

    /// A JSON Lines file over 1 MiB is read in runs of objects: the objects of the second run, and
    /// a line cut short among them, keep their lines. The error is where the text ends (the next
    /// line) and names the file's line where the object starts (it named the line in the object's
    /// part, 1).
    func testJSONLinesOverSeveralRunsKeepTheirLines() throws {
        let folder = try temporaryFolder(self)
        var lines = (1...5_000).map { jsonLinePod(String(format: "p%04d", $0), hostNetwork: $0 == 2 || $0 == 4_501) }
        lines[4_499] = #"{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x""#
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: folder.appendingPathComponent("big.json"))
        let result = try airlock(["check", "--tier", "edge", "--namespace", "team-a", "big.json"], directory: folder)
        XCTAssertEqual(result.exitCode, 2, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("big.json:2:92  HIGH  no-host-network  team-a/Pod/p0002"), result.stdout)
        XCTAssertTrue(result.stdout.contains("big.json:4501:92  HIGH  no-host-network  team-a/Pod/p4501"), result.stdout)
        XCTAssertTrue(result.stdout.contains(
            "big.json:4501:1: error: malformed JSON: while parsing a flow mapping that starts at 4500:49, did not find expected ',' or '}'"), result.stdout)
        let inventory = try airlock(["inventory", "--format", "json", "big.json"], directory: folder)
        XCTAssertTrue(inventory.stdout.contains("\"line\" : 5000,\n      \"name\" : \"p5000\""), inventory.stdout)
    }

    /// `--max-input-bytes` bounds every file a run reads, as its error says: an exceptions,
    /// config, baseline, policy or param file was read up to 1 GiB whatever the flag (`--exceptions
    /// /dev/zero` took 1.1 GB of memory), with an error naming the flag that had not applied.
    func testEveryFileReadIsLimitedByMaxInputBytes() throws {
        let folder = try temporaryFolder(self)
        try Data("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n".utf8).write(to: folder.appendingPathComponent("c.yaml"))
        try Data(("# " + String(repeating: "x", count: 2_000) + "\n").utf8).write(to: folder.appendingPathComponent("big.yaml"))
        let tooLarge = "big.yaml:1:1: error: cannot read file: it is larger than the limit of 1000 bytes (raise it with --max-input-bytes)"
        for option in ["--exceptions", "--config", "--baseline", "--policies"] {
            let result = try airlock(["check", "--max-input-bytes", "1000", option, "big.yaml", "c.yaml"], directory: folder)
            XCTAssertEqual(result.exitCode, 2, "\(option): \(result.stdout)")
            XCTAssertTrue(result.stdout.contains(tooLarge), "\(option): \(result.stdout)")
        }
        let paramFile = try airlock(["check", "--max-input-bytes", "1000", "--param-file", "big.yaml", "c.yaml"], directory: folder)
        XCTAssertEqual(paramFile.exitCode, 2, paramFile.stderr)
        XCTAssertTrue(paramFile.stderr.contains("--param-file: " + tooLarge.replacingOccurrences(of: "error: ", with: "")), paramFile.stderr)
    }

    /// A file of many broken documents lists 1,000 errors and counts the rest in one more, at the
    /// first not listed: each error held about 1 KB, so `--- a` repeated over a file within the
    /// input limit took memory by the hundreds of times its size. Other files are still checked.
    func testErrorsOfOneFileAreListedUpToALimit() throws {
        let folder = try temporaryFolder(self)
        try Data(String(repeating: "--- a\n", count: 1_500).utf8).write(to: folder.appendingPathComponent("junk.yaml"))
        try Data("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {hostNetwork: true, containers: [{name: c, image: nginx}]}\n".utf8)
            .write(to: folder.appendingPathComponent("pod.yaml"))
        let result = try airlock(["check", "--tier", "edge", "junk.yaml", "pod.yaml"], directory: folder)
        XCTAssertEqual(result.exitCode, 2, result.stdout)
        let listed = result.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("junk.yaml:") }
        XCTAssertEqual(listed.count, 1_001, result.stdout)
        XCTAssertEqual(listed.first, "junk.yaml:1:5: error: document is not a Kubernetes object: expected a mapping with apiVersion and kind, found a scalar")
        XCTAssertEqual(listed.last, "junk.yaml:1001:5: error: 500 more errors in this file are not listed (at most 1000 are)")
        XCTAssertTrue(result.stdout.contains("pod.yaml:4:21  HIGH  no-host-network  default/Pod/p  Pod p uses the host network"), result.stdout)
        // Values and policy files likewise.
        try Data(String(repeating: "--- [\n", count: 1_200).utf8).write(to: folder.appendingPathComponent("values.yaml"))
        try Data(String(repeating: "---\nkind: x\n", count: 1_200).utf8).write(to: folder.appendingPathComponent("policy.yaml"))
        for (option, file, last) in [("--values", "values.yaml", "values.yaml:1002:1: error: 200 more errors"), ("--policies", "policy.yaml", "policy.yaml:2002:1: error: 200 more errors")] {
            let other = try airlock(["check", "--tier", "edge", option, file, "pod.yaml"], directory: folder)
            XCTAssertEqual(other.exitCode, 2, other.stdout)
            let errors = other.stdout.components(separatedBy: "\n").filter { $0.hasPrefix(file + ":") }
            XCTAssertEqual(errors.count, 1_001, other.stdout)
            XCTAssertEqual(errors.last, last + " in this file are not listed (at most 1000 are)")
        }
    }

    /// A default namespace that Kubernetes would not accept is a usage error, not objects made
    /// cluster-scoped (an empty one) or a namespace no cluster can have.
    func testNamespaceMustBeANamespaceName() throws {
        let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: nginx}]}\n"
        for command in ["check", "inventory"] {
            for namespace in ["", "a/b c", "Team-A", "a-", String(repeating: "a", count: 64)] {
                let result = try airlock([command, "--namespace", namespace, "-"], input: pod)
                XCTAssertEqual(result.exitCode, 2, "\(command) --namespace \(namespace): \(result.stdout)")
                XCTAssertTrue(result.stderr.contains("--namespace \"\(namespace)\" is not a namespace name"), result.stderr)
            }
        }
        XCTAssertEqual(try airlock(["inventory", "--namespace", "team-a1", "-"], input: pod).exitCode, 0)
    }

    /// A hidden manifest in a folder is checked; a hidden folder holding YAML is skipped and named.
    func testHiddenFilesAreCheckedAndSkippedHiddenFoldersNamed() throws {
        let folder = try temporaryFolder(self)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent(".github"), withIntermediateDirectories: true)
        try Data("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {hostNetwork: true, containers: [{name: c, image: nginx}]}\n".utf8)
            .write(to: folder.appendingPathComponent(".debug-pod.yaml"))
        try Data("on: push\n".utf8).write(to: folder.appendingPathComponent(".github/ci.yml"))
        let result = try airlock(["check", "--tier", "edge", "--root", folder.path, folder.path])
        XCTAssertEqual(result.exitCode, 1, result.stdout)
        XCTAssertTrue(result.stdout.contains(".debug-pod.yaml:4:"), result.stdout)
        XCTAssertTrue(result.stderr.contains("airlock: note: skipped hidden folder \(folder.path)/.github, which holds *.yaml, *.yml or *.json files"), result.stderr)

        // The reports keep the note: one read later, or uploaded, says what was not read. They
        // name the folder relative to the root, as their other paths (standard error as given).
        let note = "skipped hidden folder .github, which holds *.yaml, *.yml or *.json files: name it to check them"
        let json = try airlock(["check", "--tier", "edge", "--root", folder.path, folder.path, "--format", "json"])
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(report["notes"] as? [String], [note])
        let sarif = try airlock(["check", "--tier", "edge", "--root", folder.path, folder.path, "--format", "sarif"])
        let log = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any])
        let invocation = try XCTUnwrap(((log["runs"] as? [[String: Any]])?.first?["invocations"] as? [[String: Any]])?.first)
        let notes = (invocation["toolExecutionNotifications"] as? [[String: Any]] ?? []).filter { ($0["level"] as? String) == "note" }
        XCTAssertEqual(notes.compactMap { ($0["message"] as? [String: Any])?["text"] as? String }, [note])
        XCTAssertEqual(notes.compactMap { ($0["descriptor"] as? [String: Any])?["id"] as? String }, ["airlock/note"])
        let github = try airlock(["check", "--tier", "edge", "--root", folder.path, folder.path, "--format", "github"])
        XCTAssertTrue(github.stdout.contains("::notice title=airlock note::\(note)\n"), github.stdout)

        let plain = try airlock(["check", "--tier", "edge", "--root", folder.path, folder.appendingPathComponent(".debug-pod.yaml").path, "--format", "json"])
        XCTAssertNil((try JSONSerialization.jsonObject(with: Data(plain.stdout.utf8)) as? [String: Any])?["notes"], "no notes, no member")
    }

    func testStandardInput() throws {
        let result = try airlock(["check", "--no-builtin", "--policies", passingPolicy, "-"], input: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
        XCTAssertEqual(result.exitCode, 0, result.stdout + result.stderr)
        let named = try airlock(["check", "--no-builtin", "--policies", passingPolicy, "/dev/stdin"], input: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
        XCTAssertEqual(named.exitCode, 0, "a pipe named as /dev/stdin is read: \(named.stdout)")
    }

    /// `--values -` reads the values from standard input (as `helm -f -` does), which then holds
    /// no manifests: given both ways, or twice, it is a usage error.
    func testValuesFromStandardInput() throws {
        let values = "global: {tier: edge}\n"
        let result = try airlock(["check", "testdata/platform/compliant", "--values", "-", "--format", "json"], input: values)
        XCTAssertTrue(result.stdout.contains("\"file\" : \"<stdin>\""), result.stdout)
        XCTAssertFalse(result.stderr.contains("Usage:"), result.stderr)
        let both = try airlock(["check", "-", "--values", "-"], input: values)
        XCTAssertEqual(both.exitCode, 2)
        XCTAssertTrue(both.stderr.contains("standard input is read once"), both.stderr)
        let noManifests = try airlock(["check", "--values", "-"], input: values)
        XCTAssertEqual(noManifests.exitCode, 2)
        XCTAssertTrue(noManifests.stderr.contains("no input: give manifest files or folders (standard input holds the values)"), noManifests.stderr)
        let twice = try airlock(["check", "testdata/platform/compliant", "--values", "-", "--values", "-"], input: values)
        XCTAssertTrue(twice.stderr.contains("--values - (or /dev/stdin) can be given once"), twice.stderr)
        // /dev/stdin opens the same pipe: read for one, it is empty for the other.
        let bothByPath = try airlock(["check", "testdata/platform/compliant", "/dev/stdin", "--values", "/dev/stdin"], input: values)
        XCTAssertEqual(bothByPath.exitCode, 2)
        XCTAssertTrue(bothByPath.stderr.contains("standard input is read once"), bothByPath.stderr)
        let twiceByPath = try airlock(["check", "testdata/platform/compliant", "--values", "-", "--values", "/dev/stdin"], input: values)
        XCTAssertTrue(twiceByPath.stderr.contains("--values - (or /dev/stdin) can be given once"), twiceByPath.stderr)
        let valuesByPath = try airlock(["check", "testdata/platform/compliant", "--values", "/dev/stdin", "--format", "json"], input: values)
        XCTAssertTrue(valuesByPath.stdout.contains("\"file\" : \"/dev/stdin\""), valuesByPath.stdout)
    }

    /// Without paths, a terminal on standard input is not waited on: a usage error, or no
    /// manifests with --allow-empty.
    func testNoPathWithATerminalOnStandardInputReadsNothing() throws {
        let device = try pseudoTerminal()
        for command in [["check", "--no-builtin", "--policies", passingPolicy], ["inventory"]] {
            let noPath = try airlock(command, standardInput: device)
            XCTAssertEqual(noPath.exitCode, 2, command[0])
            XCTAssertTrue(noPath.stderr.contains("no input: give manifest files or folders, or - to read standard input"), noPath.stderr)
            XCTAssertEqual(try airlock(command + ["--allow-empty"], standardInput: device).exitCode, 0, command[0])
        }
    }

    /// `inventory` writes its errors as `check` does: `file:line:col: error: message`, or
    /// `airlock: error: message` without a position. An input that cannot be read is not also
    /// said to hold no resource.
    func testInventoryErrorsHaveTheFormOfCheckErrors() throws {
        let malformed = try airlock(["inventory", "-"], input: "a: [\n")
        XCTAssertEqual(malformed.exitCode, 2)
        XCTAssertTrue(malformed.stderr.contains("<stdin>:2:1: error: malformed YAML"), malformed.stderr)
        XCTAssertFalse(malformed.stderr.contains("the inputs hold no Kubernetes resource"), malformed.stderr)
        let empty = try airlock(["inventory", "-"], input: "# nothing\n")
        XCTAssertEqual(empty.exitCode, 2)
        XCTAssertTrue(empty.stderr.contains("airlock: error: the inputs hold no Kubernetes resource"), empty.stderr)
    }

    /// The `policy` and `gate` commands write policy errors in that form too.
    func testPolicyErrorsHaveTheFormOfCheckErrors() throws {
        let folder = try temporaryFolder(self)
        let policy = folder.appendingPathComponent("p.yaml")
        try Data("""
            apiVersion: airlock.dev/v1
            kind: Policy
            metadata: {name: x}
            spec:
              category: general
              severity: low
              title: t
              validations:
              - expression: nope(1)
            """.utf8).write(to: policy)
        for command in [["policy", "list"], ["gate", "pre-deploy", "-"]] {
            let result = try airlock(command + ["--policies", policy.path], input: "")
            XCTAssertEqual(result.exitCode, 2, command[0])
            let output = result.stdout + result.stderr
            XCTAssertTrue(output.contains("\(policy.path):9:17: error: x: undeclared reference to 'nope'"), "\(command[0]): \(output)")
            XCTAssertFalse(output.contains("error: \(policy.path)"), "\(command[0]): \(output)")
        }
    }

    /// A values file that cannot be read leaves the rules that read values unrun (with the reason
    /// in every report), instead of evaluated on the values of the other files.
    func testRulesReadingValuesDoNotRunWhenAValuesFileIsUnreadable() throws {
        let folder = try temporaryFolder(self)
        let good = folder.appendingPathComponent("values.yaml")
        let bad = folder.appendingPathComponent("values-edge.yaml")
        try Data("global: {tier: edge, connectivity: external}\n".utf8).write(to: good)
        try Data("global:\n  tier: edge\n  tier: edge\n".utf8).write(to: bad)
        let result = try airlock(
            ["check", "--root", folder.path, "--values", good.path, "--values", bad.path, "--allow-empty", "--format", "json", "-"], input: "")
        XCTAssertEqual(result.exitCode, 2, result.stdout)
        XCTAssertTrue(result.stdout.contains("duplicate key \\\"tier\\\" (first at line 2, column 3)"), result.stdout)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((report["findings"] as? [Any])?.count, 0, result.stdout)
        let rules = try XCTUnwrap(report["rules"] as? [[String: Any]])
        let notRun = Dictionary(uniqueKeysWithValues: rules.map { ($0["id"] as? String ?? "", $0["notRun"] as? String) })
        XCTAssertEqual(notRun["values-tier-connectivity"], "it reads the Helm values, and the values files could not be read, or not used together (see the errors)")
        XCTAssertEqual(notRun["tenant-namespace-in-values"], "it reads the Helm values, and the values files could not be read, or not used together (see the errors)")
        XCTAssertEqual(notRun["namespace-classification-label"], .some(nil))
    }

    /// A run without rules would pass anything: no policy loaded at all, or a policy path that
    /// holds none (an empty file, comments only, only `---`), is an error for every command.
    func testARunWithoutRulesIsAnError() throws {
        let folder = try temporaryFolder(self)
        let input = folder.appendingPathComponent("in.yaml")
        try Data("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n".utf8).write(to: input)
        let none = try airlock(["check", "--no-builtin", input.path])
        XCTAssertEqual(none.exitCode, 2, none.stdout)
        XCTAssertTrue(none.stdout.contains("error: no rule to run: no policy is loaded (--no-builtin, and no --policies holds one)"), none.stdout)
        let list = try airlock(["policy", "list", "--no-builtin"])
        XCTAssertEqual(list.exitCode, 2, list.stdout)
        XCTAssertTrue(list.stderr.contains("error: no rule to run"), list.stderr)
        for (name, text) in [("empty.yaml", ""), ("comments.yaml", "# nothing here\n"), ("dashes.yaml", "---\n")] {
            let policies = folder.appendingPathComponent(name.replacingOccurrences(of: ".yaml", with: ""))
            try FileManager.default.createDirectory(at: policies, withIntermediateDirectories: true)
            let policy = policies.appendingPathComponent(name)
            try Data(text.utf8).write(to: policy)
            let runs = [
                ["check", "--no-builtin", "--policies", policy.path, input.path],
                ["check", "--policies", policy.path, input.path],
                ["policy", "list", "--no-builtin", "--policies", policy.path],
            ]
            for arguments in runs {
                let result = try airlock(arguments)
                XCTAssertEqual(result.exitCode, 2, "\(arguments): \(result.stdout)\(result.stderr)")
                let output = result.stdout + result.stderr
                XCTAssertTrue(output.contains("\(policy.path):1:1: "), "\(arguments): \(output)")
                XCTAssertTrue(output.contains("file holds no policy (it is empty, or only comments)"), "\(arguments): \(output)")
            }
            let test = try airlock(["policy", "test", policies.path])
            XCTAssertEqual(test.exitCode, 2, test.stdout + test.stderr)
            XCTAssertTrue(test.stderr.contains("\(policies.path):1:1: error: directory holds no policy"), test.stderr)
        }
    }

    /// A Kyverno PolicyException is not applied: a `--policies` file holding only one is an error
    /// saying so (exit 2, as for an empty file), and one beside policies a note on standard error
    /// that leaves the exit code as it is.
    func testAKyvernoExceptionGivenAsAPolicyIsNamedAsNotApplied() throws {
        let folder = try temporaryFolder(self)
        try Data("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: a}\n".utf8).write(to: folder.appendingPathComponent("in.yaml"))
        let exception = "apiVersion: kyverno.io/v2\nkind: PolicyException\nmetadata: {name: allow-debug, namespace: a}\nspec: {exceptions: [{policyName: p, ruleNames: [r]}]}\n"
        try Data(exception.utf8).write(to: folder.appendingPathComponent("exception.yaml"))
        try Data(("""
            apiVersion: airlock.dev/v1
            kind: Policy
            metadata: {name: named}
            spec: {category: general, severity: low, title: t, match: {kinds: [ConfigMap]}, validations: [{expression: "true"}]}
            ---

            """ + exception).utf8).write(to: folder.appendingPathComponent("mixed.yaml"))
        let why = "airlock applies only its own exceptions, which record a justification, an owner and an expiry, "
            + "so the findings it would exempt are reported: accept them in the exceptions file (.airlock-exceptions.yaml, or --exceptions FILE) instead"
        let only = try airlock(["check", "--no-builtin", "--policies", "exception.yaml", "in.yaml"], directory: folder)
        XCTAssertEqual(only.exitCode, 2, only.stdout + only.stderr)
        XCTAssertTrue(only.stdout.contains("exception.yaml:1:1: error: file holds no policy, only a Kyverno PolicyException (allow-debug), which is not applied: " + why + "\n"), only.stdout)
        XCTAssertEqual(only.stderr, "")
        let mixed = try airlock(["check", "--no-builtin", "--policies", "mixed.yaml", "in.yaml"], directory: folder)
        XCTAssertEqual(mixed.exitCode, 0, mixed.stdout + mixed.stderr)
        XCTAssertEqual(mixed.stderr, "airlock: note: mixed.yaml:6:1: Kyverno PolicyException allow-debug is not applied: " + why + "\n")
        let list = try airlock(["policy", "list", "--no-builtin", "--policies", "mixed.yaml"], directory: folder)
        XCTAssertEqual(list.exitCode, 0, list.stdout + list.stderr)
        XCTAssertEqual(list.stderr, "airlock: note: mixed.yaml:6:1: Kyverno PolicyException allow-debug is not applied: " + why + "\n")
    }

    /// A test case naming an object the case does not hold says so, with the objects it holds,
    /// rather than that the rule "did not apply".
    func testAPolicyTestNamingAnObjectTheCaseLacksSaysSo() throws {
        let folder = try temporaryFolder(self)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("tests"), withIntermediateDirectories: true)
        try Data("apiVersion: airlock.dev/v1\nkind: Policy\nmetadata: {name: p}\nspec:\n  category: general\n  severity: low\n  title: t\n  match: {kinds: [Pod]}\n  validations:\n  - expression: object.metadata.name == 'web'\n".utf8)
            .write(to: folder.appendingPathComponent("p.yaml"))
        let test = """
            apiVersion: airlock.dev/v1
            kind: PolicyTest
            metadata: {name: p}
            spec:
              cases:
              - name: misnamed
                resources: |
                  apiVersion: v1
                  kind: Pod
                  metadata: {name: web}
                  ---
                  apiVersion: v1
                  kind: Pod
                  metadata: {name: other}
                expect:
                - {rule: p, resource: default/Pod/p1, result: pass}
                - {rule: p, resource: default/Pod/other, result: fail}

            """
        try Data(test.utf8).write(to: folder.appendingPathComponent("tests/p.yaml"))
        let result = try airlock(["policy", "test", folder.path])
        XCTAssertEqual(result.exitCode, 1, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("p on default/Pod/p1: expected pass, but the case holds no object default/Pod/p1 (it holds default/Pod/web, default/Pod/other)"), result.stdout)
        XCTAssertFalse(result.stdout.contains("default/Pod/other: expected"), result.stdout)
    }

    /// A policy file reached twice (by its path and through its folder, or through a link) is
    /// read once: its policies are not copies of themselves.
    func testAPolicyFileGivenTwiceIsReadOnce() throws {
        let folder = try temporaryFolder(self)
        let policy = folder.appendingPathComponent("p.yaml")
        try FileManager.default.copyItem(atPath: passingPolicy, toPath: policy.path)
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("link.yaml").path, withDestinationPath: policy.path)
        let result = try airlock(["policy", "list", "--no-builtin", "--policies", policy.path, "--policies", folder.path, "--policies", policy.path])
        XCTAssertEqual(result.exitCode, 0, result.stdout + result.stderr)
        XCTAssertEqual(result.stderr, "")
        XCTAssertEqual(result.stdout.split(separator: "\n").count, 2, result.stdout)
    }

    func testBadPolicyExitsTwoWithPosition() throws {
        let folder = try temporaryFolder(self)
        let policy = folder.appendingPathComponent("p.yaml")
        try Data("apiVersion: airlock.dev/v1\nkind: Policy\nmetadata: {name: p}\nspec:\n  category: general\n  severity: low\n  title: t\n  validations:\n  - expression: object.kind ==\n".utf8).write(to: policy)
        let result = try airlock(["policy", "list", "--no-builtin", "--policies", passingPolicy, "--policies", policy.path])
        XCTAssertEqual(result.exitCode, 2)
        XCTAssertTrue(result.stderr.contains("p.yaml:9:"), result.stderr)
    }
}

/// The device of a new pseudo-terminal, open for reading and writing. Glibc's pty functions are
/// looked up at run time: Swift's Glibc module does not declare them.
private func pseudoTerminal() throws -> FileHandle {
    typealias Open = @convention(c) (Int32) -> Int32
    typealias Prepare = @convention(c) (Int32) -> Int32
    typealias Name = @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?
    func function<F>(_ name: String, as type: F.Type) throws -> F {
        unsafeBitCast(try XCTUnwrap(dlsym(UnsafeMutableRawPointer(bitPattern: 0), name), name), to: F.self)
    }
    let main = try function("posix_openpt", as: Open.self)(O_RDWR | O_NOCTTY)
    guard main >= 0, try function("grantpt", as: Prepare.self)(main) == 0, try function("unlockpt", as: Prepare.self)(main) == 0,
        let name = try function("ptsname", as: Name.self)(main),
        let device = FileHandle(forUpdatingAtPath: String(cString: name))
    else { throw XCTSkip("no pseudo-terminal on this machine") }
    return device
}
