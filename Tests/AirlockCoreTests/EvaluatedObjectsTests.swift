import AirlockCore
import Foundation
import XCTest

final class EvaluatedObjectsTests: XCTestCase {
    private let names = ["team-b/Deployment/web", "Namespace/team-a", "team-a/Deployment/web", "team-a/Deployment/api",
                         "ns/ConfigMap/é", "ns/ConfigMap/e\u{301}x", "ns/ConfigMap/z", "team-a/Deployment/web-1", ""]

    /// Sorting positions through the shared table gives `String`'s order, ASCII or not
    /// (`é` written precomposed and as `e` + combining accent compare as Swift strings do).
    func testSortingPositionsMatchesStringOrder() {
        let table = EvaluatedObjects.NameTable(names)
        let all = EvaluatedObjects(sorting: Array(0..<UInt32(names.count)), of: table)
        XCTAssertEqual(Array(all), names.sorted())
        let some = EvaluatedObjects(sorting: [2, 0, 3], of: table)
        XCTAssertEqual(Array(some), ["team-a/Deployment/api", "team-a/Deployment/web", "team-b/Deployment/web"])
        XCTAssertEqual(some.count, 3)
    }

    /// An all-ASCII table is compared by bytes: the same order, prefixes and empty names included.
    func testSortingASCIINamesByBytesMatchesStringOrder() {
        let ascii = ["team-a/Deployment/web", "team-a/Deployment/web-1", "team-a/Deployment/web.1", "team-a/Deployment/we",
                     "team/Deployment/web", "Team-a/Deployment/web", "team-0/ConfigMap/a", "ClusterRole/reader", "", "a", "A", "_"]
        let table = EvaluatedObjects.NameTable(ascii)
        XCTAssertEqual(Array(EvaluatedObjects(sorting: Array(0..<UInt32(ascii.count)), of: table)), ascii.sorted())
        XCTAssertEqual(Array(EvaluatedObjects(sorting: Array((0..<UInt32(ascii.count)).reversed()), of: table)), ascii.sorted())
    }

    func testSortedKeepsNamesAndOrdersThem() {
        XCTAssertEqual(Array(EvaluatedObjects(names).sorted()), names.sorted())
        let ordered = EvaluatedObjects(names.sorted())
        XCTAssertEqual(ordered.sorted(), ordered)
        XCTAssertNotEqual(EvaluatedObjects(names), ordered)
    }

    func testEncodesAsAnArrayOfStrings() throws {
        let objects: EvaluatedObjects = ["b", "a/é"]
        let data = try JSONEncoder().encode(objects)
        XCTAssertEqual(String(decoding: data, as: UTF8.self), #"["b","a\/é"]"#)
        XCTAssertEqual(try JSONDecoder().decode(EvaluatedObjects.self, from: data), objects)
    }
}
