import XCTest
@testable import YAMLSource

final class JSONValueStreamTests: XCTestCase {
    /// JSON Lines and pretty-printed objects one after another (`kubectl get -w -o json`) are each
    /// a document, at the lines they are written on.
    func testObjectsStartingALineAreOneDocumentEach() throws {
        let text = """
            {"kind": "Pod", "metadata": {"name": "a"}, "note": "} {\\" ["}
            {"kind": "Pod", "metadata": {"name": "b"}}
            {
                "kind": "Pod",
                "metadata": {"name": "c"}
            }

            {"kind": "Pod", "metadata": {"name": "d"}, "list": [{"x": 1}]}

            """
        let bytes = Array(text.utf8)
        let parts = try XCTUnwrap(JSONValueStream.parts(of: bytes))
        XCTAssertEqual(parts.map(\.lineOffset), [0, 1, 2, 7])
        XCTAssertEqual(parts.first?.range.lowerBound, 0)
        XCTAssertEqual(parts.last?.range.upperBound, bytes.count)
        var names: [String?] = []
        var lines: [Int?] = []
        for part in parts {
            let loaded = YAMLLoader().load(bytes[part.range], file: "f.json", lineOffset: part.lineOffset)
            XCTAssertEqual(loaded.errors, [])
            names += loaded.documents.map { $0.root["metadata"]?["name"]?.string }
            lines += loaded.documents.map { $0.root["kind"]?.line }
        }
        XCTAssertEqual(names, ["a", "b", "c", "d"])
        XCTAssertEqual(lines, [1, 2, 4, 8])
    }

    /// One object, however it is written, and YAML are left to the YAML reader.
    func testASingleObjectOrYAMLIsNotCut() {
        let nested = "{\n\"items\": [\n{\"kind\": \"Pod\"}\n]\n}\n"
        XCTAssertNil(JSONValueStream.parts(of: Array(nested.utf8)), "a line starting with { inside one object")
        XCTAssertNil(JSONValueStream.parts(of: Array("kind: Pod\n{a: 1}\n".utf8)))
        XCTAssertNil(JSONValueStream.parts(of: Array("{\"kind\": \"Pod\"}\n".utf8)))
        XCTAssertNil(JSONValueStream.parts(of: Array("{\"a\": 1}\n---\n{\"b\": 2}\n".utf8)), "YAML documents of JSON")
    }

    /// Objects cut only where the next starts a line: `}{` on one line stays in its part (and is
    /// an error of the YAML reader there), and so does whatever follows that is not an object, up
    /// to the next line starting with `{`.
    func testWhatIsNotAnObjectAtALineStartStaysInThePartBefore() throws {
        let text = "{\"a\": 1}\n{\"b\": 2}{\"c\": 3}\n{\"d\": 4}\nkind: Pod\n"
        let bytes = Array(text.utf8)
        let parts = try XCTUnwrap(JSONValueStream.parts(of: bytes))
        XCTAssertEqual(parts.map { String(decoding: bytes[$0.range], as: UTF8.self) },
                       ["{\"a\": 1}\n", "{\"b\": 2}{\"c\": 3}\n", "{\"d\": 4}\nkind: Pod\n"])
        let second = YAMLLoader().load(bytes[parts[1].range], file: "f.json", lineOffset: parts[1].lineOffset)
        XCTAssertEqual(second.errors.first?.line, 2)
    }

    /// A line that is not an object, or an object left open (a line cut short), hides none of the
    /// objects on the lines after it; a `---` line after such text leaves the rest to the YAML reader.
    func testObjectsAfterABrokenLineAreEachADocument() throws {
        let text = "{\"a\": 1}\ngarbage\n{\"b\": [1,\n{\"c\": 3}\n{\"d\": 4}\n"
        let bytes = Array(text.utf8)
        let parts = try XCTUnwrap(JSONValueStream.parts(of: bytes))
        XCTAssertEqual(parts.map { String(decoding: bytes[$0.range], as: UTF8.self) },
                       ["{\"a\": 1}\ngarbage\n", "{\"b\": [1,\n", "{\"c\": 3}\n", "{\"d\": 4}\n"])
        XCTAssertEqual(parts.map(\.lineOffset), [0, 2, 3, 4])
        let yaml = "{\"a\": 1}\ngarbage\n---\n{\"b\": 2}\n{\"c\": 3}\n"
        XCTAssertNil(JSONValueStream.parts(of: Array(yaml.utf8)))
    }
}
