import XCTest
@testable import YAMLSource

/// `YAMLLoader.load(_:file:segments:)` reads each segment (a JSON Lines object) as a part of its
/// own, and keeps their nodes in one storage: every document, node position and error must be
/// the same as when each segment is loaded alone.
final class YAMLLoaderSegmentsTests: XCTestCase {
    /// Every line a reader's results say: documents (index, node count, every node with its
    /// position, kind, style, type and text, duplicate keys) and errors.
    private static func describe(_ results: [YAMLLoader.Result]) -> [String] {
        var lines: [String] = []
        for result in results {
            lines.append("documents: \(result.documentCount)")
            for document in result.documents {
                lines.append("document \(document.index) nodes \(document.nodeCount)")
                describe(document.root, into: &lines)
                lines += document.duplicateKeys.map { "duplicate \($0.nodes.map { document.node($0).line }) \($0.error)" }
            }
            lines += result.errors.map(\.description)
        }
        return lines
    }

    private static func describe(_ node: YAMLNode, into lines: inout [String]) {
        let position = "\(node.line):\(node.column) \(node.kind)"
        switch node.kind {
        case .scalar: lines.append("\(position) \(node.style) \(String(describing: node.scalarType)) \(node.text!.debugDescription)")
        case .sequence:
            lines.append(position)
            for item in node.items { describe(item, into: &lines) }
        case .mapping:
            lines.append(position)
            for (key, value) in node.entries {
                describe(key, into: &lines)
                describe(value, into: &lines)
            }
        }
    }

    /// Loads `text` cut by `JSONValueStream` both ways, asserts that they agree, and returns the
    /// segments' results read together.
    private func loadAgreeing(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> [YAMLLoader.Result] {
        let bytes = Array(text.utf8)
        let parts = try XCTUnwrap(JSONValueStream.parts(of: bytes), file: file, line: line)
        let loader = YAMLLoader(keepsDocumentsWithDuplicateKeys: true)
        let alone = parts.map { loader.load(bytes[$0.range], file: "f.json", lineOffset: $0.lineOffset) }
        let together = loader.load(bytes[...], file: "f.json", segments: parts)
        XCTAssertEqual(Self.describe(together), Self.describe(alone), file: file, line: line)
        return together
    }

    /// Objects on later lines keep their lines and columns (counted in characters: `é` and `😀`
    /// before a field), short texts repeated over the lines are stored once, and every document
    /// holds the one storage.
    func testObjectsShareOneStorageAndKeepTheirPositions() throws {
        let text = """
            {"kind": "Pod", "metadata": {"name": "a"}}
            {"kind": "Pod", "metadata": {"name": "b", "labels": {"app": "é😀"}}, "spec": {"x": 1}}
            {"kind": "Pod", "metadata": {"name": "c"}, "note": "é😀", "spec": {"hostNetwork": true}}

            """
        let results = try loadAgreeing(text)
        let documents = results.flatMap(\.documents)
        XCTAssertEqual(documents.map { $0.root["metadata"]?["name"]?.string }, ["a", "b", "c"])
        let third = try XCTUnwrap(documents.last)
        let hostNetwork = try XCTUnwrap(third.root["spec"]?["hostNetwork"])
        XCTAssertEqual([hostNetwork.line, hostNetwork.column], [3, 82])
        XCTAssertEqual([third.root.line, third.root.column], [3, 1])
        XCTAssertEqual(Set(documents.map { $0.arena.records.baseAddress }).count, 1)
        let keyText = documents[0].arena.text
        XCTAssertEqual(keyText.count, String(decoding: keyText, as: UTF8.self).utf8.count)
        XCTAssertEqual(String(decoding: keyText, as: UTF8.self), "kindPodmetadatanameablabelsappé😀specx1cnotehostNetworktrue")
    }

    /// A broken line in the middle is an error at its line and column, and the objects on the
    /// lines before and after it are read, at their lines.
    func testABrokenLineAmongOthersIsAnErrorAtItAndTheOthersAreRead() throws {
        let text = """
            {"kind": "Pod", "metadata": {"name": "a"}}
            {"kind": "Pod", "metadata": {"name": "b"}, "spec": [1,}
            {"kind": "Pod", "metadata": {"name": "c"}, "kind": "Pod"}
            {"kind": "Pod", "metadata": {"name": "d"}}

            """
        let results = try loadAgreeing(text)
        XCTAssertEqual(results.map(\.errors.description), ["[]", "[f.json:2:55: malformed JSON: while parsing a flow node, did not find expected node content]", "[]", "[]"])
        let documents = results.flatMap(\.documents)
        XCTAssertEqual(documents.map { $0.root["metadata"]?["name"]?.string }, ["a", "c", "d"])
        XCTAssertEqual(documents.map(\.root.line), [1, 3, 4])
        XCTAssertEqual(documents[1].duplicateKeys.map(\.error.description), [#"f.json:3:44: duplicate key "kind" (first at line 3, column 2); readers disagree on which one wins"#])
    }

    /// What JSON Lines files hold besides one object a line: carriage returns, empty lines, a line
    /// that is an array or a scalar, `}{`, a pretty-printed object, tabs, YAML anchors, a long
    /// line with long texts, text that is not UTF-8.
    func testEveryKindOfLineReadsAsAlone() throws {
        let long = String(repeating: "x", count: 100_000)
        _ = try loadAgreeing("{\"a\": 1}\r\n\r\n{\"b\": \"é\"}\r\n[1, 2]\r\n{\"c\": 3}\r\n")
        _ = try loadAgreeing("{\"a\": 1}\n\n\n42\n{\"b\": 2}{\"c\": 3}\n{\n  \"d\": {\n    \"e\": [1, 2]\n  }\n}\n{\"f\":\t6}\n")
        _ = try loadAgreeing("{\"a\": &x \"\(long)\", \"b\": *x, \"c\": \"\(long)\"}\n{\"d\": \"\(long)\", \"e\": [\(String(repeating: "1,", count: 20_000))2]}\n")
        let invalid = Array("{\"a\": 1}\n{\"b\": \"".utf8) + [0xFF] + Array("\"}\n{\"c\": 3}\n".utf8)
        let parts = try XCTUnwrap(JSONValueStream.parts(of: invalid))
        let loader = YAMLLoader()
        XCTAssertEqual(
            Self.describe(loader.load(invalid[...], file: "f.json", segments: parts)),
            Self.describe(parts.map { loader.load(invalid[$0.range], file: "f.json", lineOffset: $0.lineOffset) }))
    }

    /// A byte order mark before the first object (UTF-8's, or UTF-16's made UTF-8) is read
    /// over: every object was read as YAML, which reads the first and refuses the rest.
    func testAByteOrderMarkBeforeTheFirstObjectIsReadOver() throws {
        let lines = "{\"a\": 1}\n{\"b\": 2}\n".utf8
        let utf8: [UInt8] = [0xEF, 0xBB, 0xBF] + lines
        let utf16: [UInt8] = [0xFF, 0xFE] + lines.flatMap { [$0, 0] }
        for bytes in [utf8, utf16] {
            let text = try UnicodeText.utf8(bytes, file: "f.json").get()
            let parts = try XCTUnwrap(JSONValueStream.parts(of: text))
            let results = YAMLLoader().load(text[...], file: "f.json", segments: parts)
            XCTAssertEqual(results.map(\.errors.description), ["[]", "[]"])
            let documents = results.flatMap(\.documents)
            XCTAssertEqual(documents.map { $0.root.entries.first?.key.text }, ["a", "b"])
            XCTAssertEqual(documents.map { [$0.root.line, $0.root.column] }, [[1, 1], [2, 1]])
        }
    }

    /// Objects are read in runs of at most the target size, one larger object alone.
    func testRunsOfObjectsAreAtMostTheTargetSize() throws {
        let bytes = Array("{\"a\": 1}\n{\"b\": 2}\n{\"c\": \"\(String(repeating: "x", count: 30))\"}\n{\"d\": 4}\n{\"e\": 5}\n".utf8)
        let parts = try XCTUnwrap(JSONValueStream.parts(of: bytes))
        let runs = JSONValueStream.runs(of: parts, targetSize: 20)
        XCTAssertEqual(runs.map { $0.map(\.lineOffset) }, [[0, 1], [2], [3, 4]])
    }
}
