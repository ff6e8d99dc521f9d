import Foundation
import XCTest
@testable import YAMLSource

/// `SimpleYAMLReader` must give every input it reads exactly the documents, nodes, positions and
/// errors libyaml gives, and give up on the rest. Each test compares the two readers.
final class SimpleYAMLReaderTests: XCTestCase {
    private static let sharedFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared")

    /// What each reader made of `bytes`, and how many documents the simple reader read itself;
    /// nil when it left the whole part to libyaml.
    private func compare(_ bytes: [UInt8], limits: YAMLLimits) -> (simple: String, libyaml: String, ownDocuments: Int)? {
        bytes.withUnsafeBufferPointer { buffer in
            let part = StreamPart(buffer: buffer, file: "in.yaml", limits: limits, lineOffset: 0)
            guard let (simple, ownDocuments) = SimpleYAMLReader.read(part) else { return nil }
            var libyaml = part
            libyaml.readWithLibYAMLAlone()
            return (Self.describe(simple), Self.describe(libyaml), ownDocuments)
        }
    }

    /// Asserts that the readers agree on `text` and returns how many documents the simple reader
    /// read without libyaml.
    @discardableResult
    private func assertAgree(_ text: String, limits: YAMLLimits = YAMLLimits(), file: StaticString = #filePath, line: UInt = #line) -> Int {
        assertAgree(Array(text.utf8), name: text, limits: limits, file: file, line: line)
    }

    @discardableResult
    private func assertAgree(_ bytes: [UInt8], name: String, limits: YAMLLimits = YAMLLimits(),
                             file: StaticString = #filePath, line: UInt = #line) -> Int {
        guard let (simple, libyaml, ownDocuments) = compare(bytes, limits: limits) else { return 0 }
        XCTAssertEqual(simple, libyaml, "readers disagree on \(name.debugDescription)", file: file, line: line)
        return ownDocuments
    }

    /// Everything a reader's result says: documents (index, Helm source, node count, every node
    /// with its position, kind, style, type and text) and errors.
    private static func describe(_ part: StreamPart) -> String {
        var part = part
        let result = part.result()
        var lines = ["documents: \(result.documentCount)"]
        for document in result.documents {
            lines.append("document \(document.index) source \(document.helmSource ?? "-") nodes \(document.nodeCount)")
            describe(document.root, indent: "  ", into: &lines)
        }
        lines += result.errors.map(\.description)
        return lines.joined(separator: "\n")
    }

    private static func describe(_ node: YAMLNode, indent: String, into lines: inout [String]) {
        let position = "\(node.line):\(node.column)"
        switch node.kind {
        case .scalar:
            lines.append("\(indent)\(position) \(node.style) \(String(describing: node.scalarType)) \(node.text!.debugDescription)")
        case .sequence:
            lines.append("\(indent)\(position) sequence")
            for item in node.items { describe(item, indent: indent + "  ", into: &lines) }
        case .mapping:
            lines.append("\(indent)\(position) mapping")
            for (key, value) in node.entries {
                describe(key, indent: indent + "  ", into: &lines)
                describe(value, indent: indent + "    ", into: &lines)
            }
        }
    }

    // MARK: What it reads

    func testReadsKubernetesStyleManifests() {
        let manifests = """
            # Source: chart/templates/deployment.yaml
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: app   # trailing comment
              labels: {app: app, "quoted key": 'it''s', tier: ""}
              annotations:
                note: "a \\"quoted\\" value\\twith escapes"
                url: http://example.com:8080/path#fragment
            spec:
              replicas: 2
              template:
                spec:
                  containers:
                  - name: c0
                    image: registry.local:5000/app:1.0
                    args: [--port, "8080", -v, {a: [1, 2.5, ~, null, true, yes]}]
                    env:
                    -
                      name: EMPTY
                    - name: NULL_VALUE
                      value:
                  -   name: c1
                      ports:
                        - containerPort: 80
                          protocol: TCP
            ---
            # Source: chart/templates/service.yaml
            apiVersion: v1
            kind: Service
            ---
            ---
            just a scalar
            ---
              indented: mapping
              second: key
            ---
            - - nested
              - sequence
            - key: value
              other: value
            -
            """
        XCTAssertEqual(assertAgree(manifests), 6)
        XCTAssertEqual(assertAgree(manifests + "\n"), 6)
        XCTAssertEqual(assertAgree("a: 1\n---\n"), 2)
        XCTAssertEqual(assertAgree("---\n"), 1)
        XCTAssertEqual(assertAgree("# only a comment\n\n"), 0)
        XCTAssertEqual(assertAgree("key:    \n  # comment\nnext: [ a , b ]   \n"), 1)
        XCTAssertEqual(assertAgree("k: v\n---   # c\nk: v\n   "), 2)
    }

    func testReadsBlockScalars() {
        let scalars = """
            data:
              literal: |
                line one
                  indented

                # not a comment
              kept: |+
                text

              stripped: |-
                text
              folded: >
                folded
                lines

                paragraph
                  more indented
                back
              foldedStripped: >-
                a
                b
              empty: |
            next: |
              at the end
            list:
            - |
              item
            - >-
             one space
            """
        XCTAssertEqual(assertAgree(scalars), 1)
        XCTAssertEqual(assertAgree(scalars + "\n\n"), 1)
        XCTAssertEqual(assertAgree("a: |\n\n   \n  text\n"), 0, "a blank line deeper than the text is left to libyaml")
        XCTAssertEqual(assertAgree("a: |\n  text\n b: 1\n"), 0)
        XCTAssertEqual(assertAgree("a: |\nb: 1\n"), 1)
        XCTAssertEqual(assertAgree("- >\n\n  x\n\n\n  y\n   z\n  w\n"), 1)
    }

    func testReadsPlainScalarsOverSeveralLines() {
        XCTAssertEqual(assertAgree("a: one\n  two\n\n  three\n   \n\n  four\nb: x\n"), 1)
        XCTAssertEqual(assertAgree("- one\n  two\n- three\n  - four\n"), 1)
        XCTAssertEqual(assertAgree("a:\n  one\n  two\n---\none\ntwo\n---\nthree\n"), 3)
        XCTAssertEqual(assertAgree("a: one\n  two # c\nb: x\n"), 1)
        XCTAssertEqual(assertAgree("a: one\n  two # c\n  three\n"), 0)
        XCTAssertEqual(assertAgree("a: one\n  b: c\n"), 0)
        XCTAssertEqual(assertAgree("- a: one\n  two\n"), 0)
        XCTAssertEqual(assertAgree("- a: one\n    two\n  b: x\n"), 1)
    }

    func testReadsQuotedScalarsOverSeveralLines() {
        let text = "a: 'one\n  two  \n\n   three ''q'''\nb: \"x \\\n  y\\\n\n  z \\t\"\nc: \"p  \n q\" # c\n"
        XCTAssertEqual(assertAgree(text), 1)
        XCTAssertEqual(assertAgree("- \"a\nb\"\n- 'c\n\n\nd'\n"), 1)
        XCTAssertEqual(assertAgree("\"a\n b\": c\n"), 0, "a key on two lines")
        XCTAssertEqual(assertAgree("a: \"b\n---\n\"\n"), 0, "a document marker inside quotes")
        XCTAssertEqual(assertAgree("a: [\"b\n c\"]\n"), 0)
    }

    func testReadsJSONAndFlowCollectionsOverSeveralLines() {
        let json = """
            {
                "apiVersion": "v1",
                "kind": "List",
                "items": [
                    {"kind": "ConfigMap", "metadata": {"name": "a\\tb", "labels": {}},
                     "data": {"n": 1.5e3, "t": true, "z": null, "e": []}},
                    {
                        "kind" : "Secret"
                    }
                ]
            }
            """
        XCTAssertEqual(assertAgree(json), 1)
        XCTAssertEqual(assertAgree("a: [\n  b, # c\n  {c: d,},\n]\ne: [\n]\n"), 1)
        XCTAssertEqual(assertAgree("{\"a\"\n: 1}\n"), 0, "a key whose `:` is on the next line")
        XCTAssertEqual(assertAgree("[a\n b]\n"), 0, "a plain scalar over two lines in a flow")
        XCTAssertEqual(assertAgree("[a,\n---\n]\n"), 0, "a document marker inside a flow")
    }

    func testReadsUnicodeTextWithCharacterPositions() {
        let text = "# café ☕ comment\nname: héllo wörld\nemoji: \"😀 x\"\nlist: [ü, 'ö', {é: 😀}]\nblock: |\n  ✓ line\n  ünï\n---\nnext: ✓ two\n  words\n"
        XCTAssertEqual(assertAgree(text), 2)
        XCTAssertEqual(assertAgree("a: é\n---\nb: &x c\n---\nd: ü\n"), 2)
        // Key lengths are counted in bytes from the key, not from character offsets.
        XCTAssertEqual(assertAgree("a: " + String(repeating: "é", count: 1_200) + "\nb: 1\n"), 1)
        // Left to libyaml: invalid UTF-8, C1 controls, Unicode line breaks, a byte order mark.
        for bytes: [UInt8] in [[0x61, 0x3A, 0x20, 0xC3, 0x28, 0x0A], [0x61, 0x3A, 0x20, 0xC2, 0x85, 0x0A],
                               Array("a: x\u{2028}y\n".utf8), Array("\u{FEFF}a: 1\n".utf8), [0x61, 0x3A, 0x20, 0xE0, 0x80, 0x80, 0x0A]] {
            XCTAssertEqual(assertAgree(bytes, name: "\(bytes)"), 0)
        }
    }

    func testDuplicateKeysAndLimitsGiveTheSameErrors() {
        XCTAssertEqual(assertAgree("a: 1\nb: 2\na: 3\n---\nok: 1\n"), 2)
        XCTAssertEqual(assertAgree("{a: 1, a: 2}\n"), 1)
        XCTAssertEqual(assertAgree("a:\n  b:\n    c: [[1]]\n", limits: YAMLLimits(maxDepth: 3)), 1)
    }

    func testGivesUpOnWhatItDoesNotRead() {
        let unsupported = [
            "a: &x 1\nb: *x\n", "a: !!str 1\n", "<<: {a: 1}\n", "a: |2\n  text\n", "a: >-1\n  text\n",
            "a: [1\n  2]\n", "a:\tb\n", "a: b\r\n", "%YAML 1.1\n---\na: 1\n", "a: 1\n...\n",
            "? complex\n: key\n", "a: \"\\u00e9\"\n", "a: b: c\n", "- a\nb: c\n", "[a, , b]\n", "{a}\n",
            "a: \"x\"#c\n", "--- text\n", "\u{FEFF}a: 1\n", "a: [b, c] d\n", "a:\n  - b\n  c: d\n",
        ]
        for text in unsupported {
            XCTAssertEqual(assertAgree(text), 0, "read \(text.debugDescription)")
        }
    }

    /// libyaml reads a copy of the text in which surrogate pair escapes are rewritten: the text
    /// of other scalars that looks like a pair (or like its rewriting) is still read as written,
    /// as the reader reads it; escaped pairs themselves are left to libyaml.
    func testSurrogatePairTextIsReadAlike() {
        XCTAssertEqual(assertAgree(#"a: é \ud83d\ude80 \uE03D\uE680"# + "\n" + #"b: '\uD83D\uDE00'"# + "\n" + "c: |\n  \\ud83d\\ude80\n"), 1)
        XCTAssertEqual(assertAgree(#"a: [\ud83d\ude80, "x"]"# + "\n" + #"b: "\\ud83d\\ude80""# + "\n"), 1)
        XCTAssertEqual(assertAgree(#"a: "\ud83d\ude80""# + "\n---\n" + #"b: \ud83d\ude80"# + "\n"), 1)
    }

    func testADocumentItCannotReadIsGivenToLibYAMLAlone() {
        // libyaml reads the tagged document and stops at the next `---`; the anchor's document
        // ends with `...`, after which libyaml reads on to the end.
        XCTAssertEqual(assertAgree("a: 1\n---\nb: !!str x\n---\nc: [3]\n---\nd: &x 1\n...\n---\ne: 5\n"), 2)
        XCTAssertEqual(assertAgree("# Source: a.yaml\nb: !!str x\n---\n# Source: c.yaml\nc: 3\n"), 1)
        // After a document with non-ASCII text, libyaml's character offsets are not byte offsets:
        // the `---` line must be found by its line, not at the offset (here `--- xy` mid-line).
        XCTAssertEqual(assertAgree("a: !!str ééééééé\nb: --- xy\n---\nc: 1\n"), 1)
        // A broken document: libyaml's error, and the reader goes on at the next `---` line.
        XCTAssertEqual(assertAgree("a: 1\n---\nb: [\n---\nc: 3\n"), 2)
        XCTAssertEqual(assertAgree("a: 1\n---\nb: c: d\n  e\n---\nf: 3\n"), 2)
    }

    func testLongKeysAndDeepNestingAreLeftToLibYAML() {
        XCTAssertEqual(assertAgree(String(repeating: "k", count: 1_100) + ": v\n"), 0)
        XCTAssertEqual(assertAgree(String(repeating: "[", count: 200) + String(repeating: "]", count: 200) + "\n"), 0)
        XCTAssertEqual(assertAgree(String(repeating: "[", count: 50) + String(repeating: "]", count: 50) + "\n"), 1)
    }

    // MARK: Agreement on inputs it was not written for

    /// Every text of up to four characters over the characters that make YAML's structure.
    func testAgreesOnEveryShortText() {
        let alphabet = Array("a -:#'\"[]{},\n.&").map { String($0) }
        var texts = [""]
        var read = 0
        for _ in 1...4 {
            texts = texts.flatMap { text in alphabet.map { text + $0 } }
            for text in texts where assertAgree(text) > 0 { read += 1 }
        }
        XCTAssertGreaterThan(read, 1_000, "the simple reader read too few of the short texts")
    }

    /// Random documents made of lines that mix the constructs it reads with some it does not.
    func testAgreesOnGeneratedDocuments() {
        var generator = SeededGenerator(seed: 20_261_204)
        let pieces = [
            "key: value", "key:", "- item", "-", "- k: v", "k: [a, b]", "k: {a: 1, b: [c]}", "'q': \"d\"",
            "# comment", "", "---", "k: 'it''s'", "k: \"a\\nb\"", "k: v # c", "k: v: w", "- - x", "k: -1",
            "k: a,b", "\"k\":v", "k: {}", "k: []", "k: [{a: b}]", "k: 1e3", "k: yes", "k: ~", "? x",
            "k: &a v", "k: *a", "k: |", "  text", "k: 0x1F", "k: 2024-01-01", "k : v", "k:  v  ",
        ]
        var read = 0
        for _ in 0..<4_000 {
            var lines: [String] = []
            for _ in 0..<Int(generator.next() % 8 + 1) {
                let indent = String(repeating: " ", count: Int(generator.next() % 3) * 2)
                lines.append(indent + pieces[Int(generator.next() % UInt64(pieces.count))])
            }
            if assertAgree(lines.joined(separator: "\n")) > 0 { read += 1 }
        }
        XCTAssertGreaterThan(read, 400, "the simple reader read too few generated documents")
    }

    /// The YAML test suite: each case either given up or read exactly as libyaml reads it.
    func testAgreesOnTheYAMLTestSuite() throws {
        let data = Self.sharedFolder.appendingPathComponent("conformance/yaml/data")
        let inputs = try yamlFiles(under: data) { $0.lastPathComponent == "in.yaml" }
        var read = 0
        for input in inputs where assertAgree(Array(try Data(contentsOf: input)), name: input.path) > 0 { read += 1 }
        XCTAssertGreaterThan(read, 40, "the simple reader read only \(read) of \(inputs.count) test suite inputs")
    }

    /// Manifests, charts' templates and policies from real projects.
    func testAgreesOnRealWorldManifests() throws {
        let folder = Self.sharedFolder.appendingPathComponent("realworld")
        let inputs = try yamlFiles(under: folder) { ["yaml", "yml"].contains($0.pathExtension) }
        var read = 0
        for input in inputs where assertAgree(Array(try Data(contentsOf: input)), name: input.path) > 0 { read += 1 }
        XCTAssertGreaterThan(read * 2, inputs.count, "the simple reader read only \(read) of \(inputs.count) real-world files")
    }

    private func yamlFiles(under folder: URL, where include: (URL) -> Bool) throws -> [URL] {
        guard FileManager.default.fileExists(atPath: folder.path),
              let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else {
            throw XCTSkip("\(folder.path) not found (../shared is absent); skipping the comparison with libyaml on it")
        }
        return walker.compactMap { $0 as? URL }.filter(include).sorted { $0.path < $1.path }
    }
}

/// A seeded linear congruential generator (Knuth's MMIX constants), so that the generated
/// documents are the same in every run.
private struct SeededGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state >> 33
    }
}
