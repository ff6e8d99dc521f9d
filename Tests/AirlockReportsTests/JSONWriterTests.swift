@testable import AirlockReports
import Foundation
import XCTest

/// `JSONWriter` writes what Foundation's `JSONEncoder` (pretty-printed, sorted keys, slashes
/// unescaped) writes for the same values, so the reports kept their bytes when they stopped
/// using it. Each value here is written both ways: by Foundation from its synthesized `Encodable`
/// conformance, and by the writer from its members named in sorted key order.
final class JSONWriterTests: XCTestCase {
    private enum Level: String, Encodable, JSONWritable {
        case low, high

        func write(to json: inout JSONWriter) { json.string(rawValue) }
    }

    private struct Leaf: Encodable, JSONWritable {
        var name: String
        var count: Int
        var flag: Bool?
        var level: Level

        func write(to json: inout JSONWriter) {
            json.object { json in
                json.member("count", count)
                json.member("flag", ifPresent: flag)
                json.member("level", level)
                json.member("name", name)
            }
        }
    }

    private struct Tree: Encodable, JSONWritable {
        var title: String
        var leaves: [Leaf]
        var empty: [Leaf] = []
        var tags: [String: String]
        var noTags: [String: Int] = [:]
        var nested: [[Int]]
        var optionalLeaf: Leaf?
        var big: Int64 = .min
        var unsigned: UInt64 = .max
        var exitCode: Int32 = -1
        var schema = "s"
        var upper = 1
        var underscore = true

        enum CodingKeys: String, CodingKey {
            case title, leaves, empty, tags, noTags, nested, optionalLeaf, big, unsigned, exitCode
            case schema = "$schema", upper = "Upper", underscore = "_under"
        }

        func write(to json: inout JSONWriter) {
            json.object { json in
                json.member("$schema", schema)
                json.member("Upper", upper)
                json.member("_under", underscore)
                json.member("big", Integer(big))
                json.member("empty", empty)
                json.member("exitCode", exitCode)
                json.member("leaves", leaves)
                json.member("nested", nested)
                json.member("noTags", noTags)
                json.member("optionalLeaf", ifPresent: optionalLeaf)
                json.member("tags", tags)
                json.member("title", title)
                json.member("unsigned", Integer(unsigned))
            }
        }
    }

    /// Integer types no report has, written as `JSONWriter.integer` writes any.
    private struct Integer<Value: BinaryInteger>: JSONWritable {
        var value: Value

        init(_ value: Value) { self.value = value }

        func write(to json: inout JSONWriter) { json.integer(value) }
    }

    /// Every control character, quotes, backslashes, slashes and non-ASCII text.
    private static let awkward: String = {
        var text = (0..<0x20).map { String(UnicodeScalar(UInt8($0))) }.joined()
        text += "\"\\/ \u{7F} é ☃ 𝄞 \u{2028} https://example.com/a?b=c"
        return text
    }()

    func testWritesWhatFoundationWrites() throws {
        let leaves = [
            Leaf(name: Self.awkward, count: -3, flag: true, level: .high),
            Leaf(name: "", count: 0, flag: nil, level: .low),
        ]
        let tags = ["b": "1", "B": "2", "a10": "3", "a9": "4", "_x": "5", "Z": "6", "é": "7", "e": "8", "aB": "9", "ab": Self.awkward, Self.awkward: "k"]
        let values: [Tree] = [
            Tree(title: "t", leaves: leaves, tags: tags, nested: [[], [1, 2], [3]], optionalLeaf: leaves[0]),
            Tree(title: Self.awkward, leaves: [], tags: [:], nested: [], optionalLeaf: nil),
        ]
        for value in values {
            try XCTAssertEqual(ours(value), foundation(value))
        }
        try XCTAssertEqual(ours(leaves), foundation(leaves))
        try XCTAssertEqual(ours(tags), foundation(tags))
        try XCTAssertEqual(ours([String]()), foundation([String]()))
        try XCTAssertEqual(ours([String: [Leaf]]()), foundation([String: [Leaf]]()))
        try XCTAssertEqual(ours(Level.low), foundation(Level.low))
        try XCTAssertEqual(ours(Self.awkward), foundation(Self.awkward))
    }

    /// Strings are checked for escapes eight bytes at a time: each ASCII character, and a
    /// non-ASCII one, at each place of the first words and of the bytes after them.
    func testEscapesAnyCharacterAnywhere() throws {
        let filler = Array("abcdefghijklmnopq")
        for scalar in (0..<0x80).map({ Unicode.Scalar(UInt8($0)) }) + ["é", "\u{2028}"] {
            for position in 0...filler.count {
                var characters = filler
                characters.insert(Character(scalar), at: position)
                let text = String(characters)
                try XCTAssertEqual(ours(text), foundation(text), "\(scalar.debugDescription) at \(position)")
            }
        }
    }

    /// Output longer than the writer's 64 KiB buffer arrives whole and in order.
    func testLongOutputIsHandedOnInPieces() throws {
        let leaves = (0..<3_000).map { Leaf(name: "leaf \($0) \(Self.awkward)", count: $0, flag: $0 % 3 == 0 ? nil : $0 % 2 == 0, level: .low) }
        let value = Tree(title: "long", leaves: leaves, tags: ["k": "v"], nested: [Array(0..<1_000)], optionalLeaf: nil)
        var pieces = Pieces()
        JSONWriter.write(value, to: &pieces)
        XCTAssertGreaterThan(pieces.count, 1)
        try XCTAssertEqual(pieces.text, foundation(value))
    }

    private struct Pieces: TextOutputStream {
        var text = ""
        var count = 0

        mutating func write(_ string: String) {
            text += string
            count += 1
        }
    }

    private func ours(_ value: some JSONWritable) -> String {
        var text = ""
        JSONWriter.write(value, to: &text)
        return text
    }

    private func foundation(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }
}
