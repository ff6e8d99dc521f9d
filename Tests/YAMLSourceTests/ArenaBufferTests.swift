import XCTest
@testable import YAMLSource

final class ArenaBufferTests: XCTestCase {
    func testKeepsEveryElementThroughManyGrowths() {
        var buffer = ArenaBuffer<UInt32>()
        for value in 0..<300_000 { buffer.append(UInt32(value) &* 2_654_435_761) }
        let run: [UInt32] = [7, 8, 9]
        run.withUnsafeBufferPointer { buffer.append(contentsOf: $0) }
        XCTAssertEqual(buffer.count, 300_003)
        XCTAssertEqual(buffer[0], 0)
        XCTAssertEqual(buffer[299_999], UInt32(299_999) &* 2_654_435_761)
        XCTAssertEqual(buffer.last, 9)
        buffer[1] = 42
        XCTAssertEqual(buffer[1], 42)
        XCTAssertEqual(buffer.withUnsafeBufferPointer { Array($0.suffix(4)) }, [UInt32(299_999) &* 2_654_435_761, 7, 8, 9])
    }

    func testRemovesASuffix() {
        var buffer = ArenaBuffer<UInt8>()
        Array("kept-gone".utf8).withUnsafeBufferPointer { buffer.append(contentsOf: $0) }
        buffer.removeSuffix(from: 4)
        buffer.append(UInt8(ascii: "!"))
        XCTAssertEqual(buffer.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }, "kept!")
    }

    func testHandsOverTheElementsAndIsEmptyAfter() {
        var buffer = ArenaBuffer<UInt16>()
        for value in 0..<1_000 { buffer.append(UInt16(value)) }
        let taken = buffer.take()
        defer { free(UnsafeMutableRawPointer(mutating: taken.baseAddress)) }
        XCTAssertEqual(Array(taken), (0..<1_000).map(UInt16.init))
        XCTAssertEqual(buffer.count, 0)
        XCTAssertNil(buffer.last)
        buffer.append(5)
        XCTAssertEqual(buffer[0], 5)
    }

    func testACopyKeepsItsElementsWhenTheOriginalChanges() {
        var original = ArenaBuffer<UInt8>()
        Array("abc".utf8).withUnsafeBufferPointer { original.append(contentsOf: $0) }
        var copy = original
        original.append(UInt8(ascii: "d"))
        original[0] = UInt8(ascii: "z")
        copy.removeSuffix(from: 1)
        XCTAssertEqual(original.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }, "zbcd")
        XCTAssertEqual(copy.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }, "a")
        let taken = copy.take()
        defer { free(UnsafeMutableRawPointer(mutating: taken.baseAddress)) }
        XCTAssertEqual(Array(taken), [UInt8(ascii: "a")])
        XCTAssertEqual(original.count, 4)
    }

    func testAnEmptyBufferHandsOverNoElements() {
        let taken = { var empty = ArenaBuffer<UInt32>(); return empty.take() }()
        defer { free(UnsafeMutableRawPointer(mutating: taken.baseAddress)) }
        XCTAssertEqual(taken.count, 0)
        XCTAssertNotNil(taken.baseAddress)
    }
}
